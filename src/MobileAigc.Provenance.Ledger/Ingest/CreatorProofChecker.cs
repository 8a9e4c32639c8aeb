using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Core.Payments;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.Ledger.Storage;

namespace MobileAigc.Provenance.Ledger.Ingest;

/// <summary>
/// Checks who a record names as its creator (<see cref="CreatorClaims"/>): the signatures first,
/// then, for a record paid through a channel, that the channel is the named creator's, pays for the
/// record's model and is held by the operator of the record's node, as the ledger mirrors the chain.
/// </summary>
/// <remarks>
/// Immutable and thread-safe. The channel check reads the mirror (<see cref="LedgerDbContext.Channels"/>),
/// which the chain indexer keeps: a channel opened moments ago may not be there yet, which is a
/// retryable refusal (<see cref="RecordRefusalReason.UnknownChannel"/>), never an acceptance.
/// </remarks>
public sealed class CreatorProofChecker
{
    private readonly Bytes32 _ledgerDomainSeparator;
    private readonly PaymentVoucherVerifier? _channels;

    /// <summary>Prepares the checks for one ledger.</summary>
    /// <param name="records">The record verifier of the ledger's domain: creators sign their requests in it.</param>
    /// <param name="channels">The voucher verifier of the <c>PaymentChannels</c> the ledger reads; null when it reads none (voucher proofs are then refused).</param>
    /// <exception cref="ArgumentNullException">When <paramref name="records"/> is null.</exception>
    public CreatorProofChecker(RecordSignatureVerifier records, PaymentVoucherVerifier? channels)
    {
        ArgumentNullException.ThrowIfNull(records);
        _ledgerDomainSeparator = records.DomainSeparator;
        _channels = channels;
    }

    /// <summary>The signature part of the check: <see cref="CreatorClaims.Check"/> in this ledger's domains.</summary>
    public CreatorClaimCheck Check(SignedProvenanceRecord signed)
    {
        ArgumentNullException.ThrowIfNull(signed);
        return CreatorClaims.Check(signed.Record, signed.CreatorProof, _ledgerDomainSeparator, _channels);
    }

    /// <summary>
    /// The chain part of the check for voucher proofs: for each record index, null when its channel is
    /// the creator's, for its model, paying its node or its node's operator; else the refusal.
    /// </summary>
    /// <param name="db">The ledger database.</param>
    /// <param name="records">The records whose voucher signatures passed <see cref="Check"/>, by request index.</param>
    /// <param name="cancellationToken">Cancels the queries.</param>
    public static async Task<Dictionary<int, (RecordRefusalReason Reason, string Detail)>> CheckChannelsAsync(
        LedgerDbContext db, IReadOnlyDictionary<int, SignedProvenanceRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(records);
        var refusals = new Dictionary<int, (RecordRefusalReason, string)>();
        if (records.Count == 0)
        {
            return refusals;
        }

        var channelIds = records.Values.Select(r => r.CreatorProof!.Voucher!.ChannelId).Distinct().ToList();
        var nodes = records.Values.Select(r => r.Record.Node).Distinct().ToList();
        var channels = await db.Channels.AsNoTracking().Where(c => channelIds.Contains(c.ChannelId))
            .ToDictionaryAsync(c => c.ChannelId, cancellationToken);
        var operators = await db.Nodes.AsNoTracking().Where(n => nodes.Contains(n.Node))
            .ToDictionaryAsync(n => n.Node, n => n.Operator, cancellationToken);
        foreach (var (index, signed) in records)
        {
            var (record, channelId) = (signed.Record, signed.CreatorProof!.Voucher!.ChannelId);
            if (!channels.TryGetValue(channelId, out var channel))
            {
                refusals[index] = (RecordRefusalReason.UnknownChannel,
                    $"The channel {channelId} of the creator's voucher is not known to the ledger (as far as it has read the chain).");
            }
            else if (channel.Creator != record.Creator)
            {
                refusals[index] = (RecordRefusalReason.InvalidCreatorProof,
                    $"The channel {channelId} belongs to the creator {channel.Creator}, not to the record's creator {record.Creator}.");
            }
            else if (channel.ModelHash != record.ModelHash)
            {
                refusals[index] = (RecordRefusalReason.InvalidCreatorProof,
                    $"The channel {channelId} pays for the model {channel.ModelHash}, not for the record's model {record.ModelHash}.");
            }
            else if (channel.Provider != record.Node && (!operators.TryGetValue(record.Node, out var nodeOperator) || nodeOperator != channel.Provider))
            {
                refusals[index] = (RecordRefusalReason.InvalidCreatorProof,
                    $"The channel {channelId} pays the provider {channel.Provider}, who is neither the record's node {record.Node} nor its operator.");
            }
        }

        return refusals;
    }
}

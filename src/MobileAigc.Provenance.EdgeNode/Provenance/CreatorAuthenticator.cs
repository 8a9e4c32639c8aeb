using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;

namespace MobileAigc.Provenance.EdgeNode.Provenance;

/// <summary>Who the node will name as the creator of a record, and the creator's proof it passes on to the ledger.</summary>
/// <param name="Creator">The creator's address; null for an anonymous request.</param>
/// <param name="Private">True when the record holds only a salted commitment to <paramref name="Creator"/>.</param>
/// <param name="PromptSalt">The creator's own prompt salt (a signed request commits to it); null when the node chooses one.</param>
/// <param name="Proof">The proof the ledger checks again; null for an anonymous or private creator.</param>
public sealed record CreatorClaim(EvmAddress? Creator, bool Private, Bytes32? PromptSalt, CreatorProof? Proof)
{
    /// <summary>No creator.</summary>
    public static CreatorClaim Anonymous { get; } = new(null, false, null, null);
}

/// <summary>A request whose creator claim the node refuses; nothing is charged or generated.</summary>
public sealed class CreatorRefusedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="problemType"><see cref="GenerationProblemTypes.CreatorNotAuthenticated"/> or <see cref="GenerationProblemTypes.InvalidCreatorProof"/>.</param>
    /// <param name="message">Why.</param>
    public CreatorRefusedException(string problemType, string message)
        : base(message) => ProblemType = problemType;

    /// <summary>Creates the exception with the default message.</summary>
    public CreatorRefusedException() => ProblemType = GenerationProblemTypes.CreatorNotAuthenticated;

    /// <summary>Creates the exception with a message.</summary>
    public CreatorRefusedException(string message)
        : base(message) => ProblemType = GenerationProblemTypes.CreatorNotAuthenticated;

    /// <summary>Creates the exception with a message and its cause.</summary>
    public CreatorRefusedException(string message, Exception innerException)
        : base(message, innerException) => ProblemType = GenerationProblemTypes.CreatorNotAuthenticated;

    /// <summary>The problem type to answer with.</summary>
    public string ProblemType { get; }

    /// <summary>The HTTP status: 400 for a missing proof, 403 for a proof that fails.</summary>
    public int Status => ProblemType == GenerationProblemTypes.InvalidCreatorProof ? 403 : 400;
}

/// <summary>
/// The node's side of <see cref="CreatorClaims"/>: a request names a public creator only with the
/// creator's signature over it, or when the creator is the one paying (the voucher's signer, whom the
/// payment gate checked against the channel on chain). The ledger checks the same proof again; the node
/// checks first so that a request it would have to hold is never generated nor charged.
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class CreatorAuthenticator
{
    private readonly EvmAddress _node;
    private readonly Bytes32 _ledgerDomainSeparator;

    /// <summary>Checks creators for the node whose records <paramref name="issuer"/> signs.</summary>
    /// <exception cref="ArgumentNullException">When <paramref name="issuer"/> is null.</exception>
    public CreatorAuthenticator(ProvenanceRecordIssuer issuer)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        _node = issuer.Node;
        _ledgerDomainSeparator = new RecordSignatureVerifier(issuer.Domain, preferNativeRecovery: false).DomainSeparator;
    }

    /// <summary>
    /// The check before any payment: the claim when it is decided already (anonymous, private, or a
    /// signed request), null when the creator is to be the payer (see <see cref="ClaimAsPayer"/>).
    /// </summary>
    /// <param name="identity">Who the request says asks; null for anonymous.</param>
    /// <param name="modelHash">The model that will serve the request.</param>
    /// <param name="prompt">The request's prompt.</param>
    /// <param name="carriesVoucher">True when the request carries a voucher.</param>
    /// <exception cref="CreatorRefusedException">When the request names a public creator it does not prove.</exception>
    public CreatorClaim? Check(CreatorIdentity? identity, Bytes32 modelHash, string prompt, bool carriesVoucher)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        if (identity?.Address is not { } creator)
        {
            return CreatorClaim.Anonymous;
        }

        if (identity.Private)
        {
            return new CreatorClaim(creator, true, null, null);
        }

        if (identity.Signature is { } signed)
        {
            var request = new CreatorRequest(creator, _node, modelHash, Commitments.Prompt(prompt, signed.PromptSalt), signed.Nonce);
            if (signed.Signature is null || !CreatorRequestTypedData.IsSignedByCreator(request, signed.Signature, _ledgerDomainSeparator))
            {
                throw new CreatorRefusedException(GenerationProblemTypes.InvalidCreatorProof,
                    $"The request signature is not {creator}'s over this node ({_node}), model {modelHash}, prompt and nonce {signed.Nonce} in the ledger's domain.");
            }

            return new CreatorClaim(creator, false, signed.PromptSalt, new CreatorProof(new CreatorRequestProof(signed.Nonce, signed.Signature)));
        }

        return carriesVoucher
            ? null
            : throw new CreatorRefusedException(GenerationProblemTypes.CreatorNotAuthenticated,
                $"The request names the creator {creator} without proof: sign the request (creator.signature) or pay with that creator's voucher.");
    }

    /// <summary>The check after the payment gate accepted <paramref name="voucher"/> signed by <paramref name="payer"/>, the channel's creator.</summary>
    /// <exception cref="CreatorRefusedException">When the payer is not the named creator, or nothing was paid.</exception>
    public static CreatorClaim ClaimAsPayer(CreatorIdentity identity, VoucherPayment? voucher, EvmAddress? payer)
    {
        ArgumentNullException.ThrowIfNull(identity);
        if (voucher is null || payer is not { } channelCreator)
        {
            throw new CreatorRefusedException(GenerationProblemTypes.CreatorNotAuthenticated,
                $"The request names the creator {identity.Address} without proof and the model is free: sign the request (creator.signature).");
        }

        if (channelCreator != identity.Address)
        {
            throw new CreatorRefusedException(GenerationProblemTypes.InvalidCreatorProof,
                $"The voucher is signed by the channel's creator {channelCreator}, not by the named creator {identity.Address}.");
        }

        var proof = new ChannelVoucherProof(voucher.ChannelId, voucher.CumulativeAmount, voucher.Nonce, Core.Eip712.EcdsaSignature.Parse(voucher.Signature));
        return new CreatorClaim(channelCreator, false, null, new CreatorProof(Voucher: proof));
    }
}

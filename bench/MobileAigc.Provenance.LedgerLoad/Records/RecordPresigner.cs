using System.Security.Cryptography;
using SHA256 = System.Security.Cryptography.SHA256;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using NBitcoin.Secp256k1;
using Nethereum.Signer;

namespace MobileAigc.Provenance.LedgerLoad.Records;

/// <summary>
/// Makes signed records as an edge node would, before any timing: signing is the node's cost, not
/// the ledger's. Digests come from <see cref="RecordSignatureVerifier.Digest"/> and signatures from
/// libsecp256k1's algorithm (NBitcoin.Secp256k1, RFC 6979 nonces, low s), in parallel; a sample is
/// checked against Nethereum's reference EIP-712 encoder so that a wrong fast path cannot pass as
/// an ingest failure of the ledger.
/// </summary>
public sealed class RecordPresigner
{
    private readonly RecordSignatureVerifier _digests;
    private readonly ECPrivKey _nodeKey;
    private readonly EvmAddress _node;
    private readonly Bytes32 _modelHash;
    private readonly ulong _timestamp;
    private long _nextSequence;

    /// <summary>Prepares signing with the node key registered for <paramref name="modelHash"/>.</summary>
    /// <param name="domain">The ledger contract's EIP-712 domain.</param>
    /// <param name="nodeKey">The node's registered key.</param>
    /// <param name="modelHash">A model the node is registered for.</param>
    /// <param name="timestamp">The generation time every record states (Unix seconds).</param>
    public RecordPresigner(ContractDomain domain, EthECKey nodeKey, Bytes32 modelHash, DateTimeOffset timestamp)
    {
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(nodeKey);
        _digests = new RecordSignatureVerifier(domain);
        _nodeKey = ECPrivKey.Create(nodeKey.GetPrivateKeyAsBytes());
        _node = EvmAddress.Parse(nodeKey.GetPublicAddress());
        _modelHash = modelHash;
        _timestamp = (ulong)timestamp.ToUnixTimeSeconds();
        Domain = domain;
    }

    /// <summary>The domain records are signed in.</summary>
    public ContractDomain Domain { get; }

    /// <summary>
    /// <paramref name="count"/> fresh records (random content, prompt and watermark; consecutive node
    /// sequences), signed on every core; then checks <paramref name="referenceChecks"/> of them, spread
    /// over the set, with Nethereum's encoder and recovery.
    /// </summary>
    /// <exception cref="InvalidOperationException">When a checked record does not recover to the node.</exception>
    public SignedProvenanceRecord[] Sign(int count, int referenceChecks = 16)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var first = Interlocked.Add(ref _nextSequence, count) - count + 1;
        var signed = new SignedProvenanceRecord[count];
        Parallel.For(0, count, i => signed[i] = SignOne((ulong)(first + i)));

        for (var c = 0; c < Math.Min(referenceChecks, count); c++)
        {
            var sample = signed[(int)((long)c * count / Math.Min(referenceChecks, count))];
            if (!ProvenanceRecordTypedData.IsSignedByNode(sample.Record, Domain, sample.Signature))
            {
                throw new InvalidOperationException(
                    $"Record {sample.Record.Sequence} signed on the fast path does not recover to the node with Nethereum's encoder.");
            }
        }

        return signed;
    }

    private SignedProvenanceRecord SignOne(ulong sequence)
    {
        Span<byte> random = stackalloc byte[96];
        RandomNumberGenerator.Fill(random);
        var record = new ProvenanceRecord(
            ContentHash: Bytes32.FromBytes(SHA256.HashData(random[..32])),
            PerceptualHash: Bytes32.FromBytes(random[32..64]),
            ModelHash: _modelHash,
            Node: _node,
            Creator: EvmAddress.Zero,
            CreatorCommitment: Bytes32.Zero,
            PromptCommitment: Bytes32.FromBytes(SHA256.HashData(random[64..])),
            ParametersHash: Bytes32.Zero,
            Timestamp: _timestamp,
            WatermarkId: Bytes32.FromBytes(SHA256.HashData(random[..16])),
            Sequence: sequence);

        var digest = _digests.Digest(record);
        if (!_nodeKey.TrySignRecoverable(digest.AsSpan(), out var signature))
        {
            throw new InvalidOperationException("secp256k1 refused to sign a digest.");
        }

        Span<byte> encoded = stackalloc byte[EcdsaSignature.Length];
        signature!.WriteToSpanCompact(encoded[..64], out var recoveryId);
        encoded[64] = (byte)(27 + recoveryId);
        return new SignedProvenanceRecord(record, EcdsaSignature.FromBytes(encoded));
    }
}

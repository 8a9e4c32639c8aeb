using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;

namespace MobileAigc.Provenance.Core.Api;

/// <summary>The ledger's ingest endpoint, as edge nodes call it.</summary>
public static class LedgerIngest
{
    /// <summary>The route, relative to the ledger's base address: <c>POST api/records</c>.</summary>
    public const string RecordsPath = "api/records";

    /// <summary>The most records one request may carry.</summary>
    public const int MaxRecordsPerRequest = 1_000;
}

/// <summary>Body of <c>POST api/records</c>: one or many signed records.</summary>
/// <param name="Records">1 to <see cref="LedgerIngest.MaxRecordsPerRequest"/> signed records.</param>
public sealed record SubmitRecordsRequest(IReadOnlyList<SignedProvenanceRecord> Records);

/// <summary>What the ledger did with each submitted record, in request order.</summary>
/// <param name="Records">One entry per submitted record.</param>
public sealed record SubmitRecordsResponse(IReadOnlyList<SubmittedRecord> Records);

/// <summary>The ledger's answer for one record.</summary>
/// <param name="RecordDigest">The record's EIP-712 digest: its id.</param>
/// <param name="Accepted">True when stored now or already stored identically before (submission is idempotent).</param>
public sealed record SubmittedRecord(Bytes32 RecordDigest, bool Accepted);

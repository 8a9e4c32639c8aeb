using System.Diagnostics;
using System.Text.Json;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Records;

namespace MobileAigc.Provenance.LedgerLoad.Measurement;

/// <summary>
/// The CPU an ingest cannot avoid, per record, measured in this process on one thread with the
/// ledger's own code: reading the JSON request body and checking each signature
/// (<see cref="RecordSignatureVerifier"/>: digest and secp256k1 recovery). Compared with the ledger
/// process's CPU per record, it tells how much of the ingest cost is the cryptography and parsing,
/// and how much is HTTP, EF Core and the database.
/// </summary>
/// <param name="JsonReadMicros">Reading one record from a request body, µs of CPU.</param>
/// <param name="SignatureCheckMicros">Digest and signer recovery of one record, µs of CPU.</param>
public readonly record struct IngestCpuFloor(double JsonReadMicros, double SignatureCheckMicros)
{
    /// <summary>Both together.</summary>
    public double TotalMicros => JsonReadMicros + SignatureCheckMicros;

    /// <summary>Measures on <paramref name="body"/> (a serialised request of <paramref name="records"/>), after one untimed pass.</summary>
    public static IngestCpuFloor Measure(ContractDomain domain, IReadOnlyList<SignedProvenanceRecord> records, byte[] body, JsonSerializerOptions json)
    {
        ArgumentNullException.ThrowIfNull(records);
        var verifier = new RecordSignatureVerifier(domain);
        var read = TimeSpan.Zero;
        var check = TimeSpan.Zero;
        const int Passes = 3;
        for (var pass = 0; pass <= Passes; pass++)
        {
            var started = ProcessCpu();
            var parsed = JsonSerializer.Deserialize<SubmitRecordsRequest>(body, json)!;
            var parsedAt = ProcessCpu();
            var valid = 0;
            foreach (var record in parsed.Records)
            {
                valid += verifier.IsSignedByNode(record) ? 1 : 0;
            }

            var checkedAt = ProcessCpu();
            if (valid != records.Count)
            {
                throw new InvalidOperationException($"{records.Count - valid} of {records.Count} records do not verify.");
            }

            if (pass > 0)
            {
                read += parsedAt - started;
                check += checkedAt - parsedAt;
            }
        }

        var perRecord = (double)records.Count * Passes;
        return new IngestCpuFloor(read.TotalMicroseconds / perRecord, check.TotalMicroseconds / perRecord);
    }

    // CPU time of this process (idle apart from this loop), not wall time: other processes on the shared cores do not inflate it.
    private static TimeSpan ProcessCpu()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }
}

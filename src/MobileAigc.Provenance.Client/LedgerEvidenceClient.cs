using System.Net.Http.Json;
using System.Text.Json;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Client;

/// <summary>
/// Reads records' evidence from a ledger in bulk (<c>POST api/records/evidence</c>): what an auditor or a node operator
/// keeps to verify files without that ledger (<c>provenance verify --export</c>) or to rebuild one (<c>ledger rebuild --from</c>).
/// Check what it answers before relying on it (signature, proof, root on chain): a ledger may lie. Thread-safe.
/// </summary>
/// <param name="http">An HttpClient whose <c>BaseAddress</c> is the ledger (e.g. <c>http://ledger:8080/</c>).</param>
public sealed class LedgerEvidenceClient(HttpClient http)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly HttpClient _http = http ?? throw new ArgumentNullException(nameof(http));

    /// <summary>
    /// The evidence of those of <paramref name="digests"/> whose batch is anchored, in pages of
    /// <see cref="LedgerEvidence.MaxDigestsPerRequest"/>; a record not held or not yet anchored is left out.
    /// </summary>
    /// <exception cref="ArgumentException">When <paramref name="digests"/> is empty.</exception>
    /// <exception cref="HttpRequestException">When the ledger answers with an error (the message carries its status and problem).</exception>
    public async Task<IReadOnlyList<RecordEvidence>> FindEvidenceAsync(IReadOnlyCollection<Bytes32> digests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(digests);
        ArgumentOutOfRangeException.ThrowIfZero(digests.Count);
        var found = new List<RecordEvidence>();
        foreach (var page in digests.Distinct().Chunk(LedgerEvidence.MaxDigestsPerRequest))
        {
            using var response = await _http.PostAsJsonAsync(LedgerEvidence.EvidencePath, new RecordEvidenceRequest(page), Json, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                var problem = await response.Content.ReadAsStringAsync(cancellationToken);
                throw new HttpRequestException($"The ledger answered {(int)response.StatusCode} to {LedgerEvidence.EvidencePath}: {problem}", null, response.StatusCode);
            }

            var answer = await response.Content.ReadFromJsonAsync<RecordEvidenceResponse>(Json, cancellationToken)
                ?? throw new HttpRequestException($"The ledger answered {LedgerEvidence.EvidencePath} without a body.");
            found.AddRange(answer.Evidence);
        }

        return found;
    }
}

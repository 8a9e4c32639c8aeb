using System.Text.Json.Nodes;

namespace MobileAigc.Provenance.Testing.C2pa;

/// <summary>
/// The official SDK's reading of one file: its outcome and, for a manifest store, the validation state, the active
/// manifest's validation statuses, assertions and ingredients, and the whole store JSON for anything else.
/// </summary>
public sealed class C2paReadResult
{
    private C2paReadResult(C2paReadOutcome outcome, string? error, JsonObject? store)
    {
        Outcome = outcome;
        Error = error;
        Store = store;
        ValidationState = store?["validation_state"]?.GetValue<string>();
        ActiveManifestLabel = store?["active_manifest"]?.GetValue<string>();
        ActiveManifest = ActiveManifestLabel is null ? null : store?["manifests"]?[ActiveManifestLabel] as JsonObject;
        var results = store?["validation_results"]?["activeManifest"];
        Successes = Statuses(results?["success"]);
        Informational = Statuses(results?["informational"]);
        // Stores validated without the structured results carry the failures alone, in the flat list.
        Failures = Statuses(results is null ? store?["validation_status"] : results["failure"]);
        Assertions = [.. Objects(ActiveManifest?["assertions"]).Select(a => new C2paAssertion(
            a["label"]?.GetValue<string>() ?? "", a["data"]?.DeepClone()))];
        Ingredients = [.. Objects(ActiveManifest?["ingredients"])];
    }

    /// <summary>Whether the SDK found a manifest store, found none, or refused the file.</summary>
    public C2paReadOutcome Outcome { get; }

    /// <summary>The SDK's error when it found no manifest store or refused the file (e.g. <c>C2pa(JumbfNotFound)</c>).</summary>
    public string? Error { get; }

    /// <summary>The manifest store as the SDK reports it (<c>reader.json()</c>), or null without one.</summary>
    public JsonObject? Store { get; }

    /// <summary><c>Valid</c>, <c>Invalid</c> or <c>Trusted</c> (when the signer chains to a given anchor); null without a store.</summary>
    public string? ValidationState { get; }

    /// <summary>The label (URN) of the active manifest.</summary>
    public string? ActiveManifestLabel { get; }

    /// <summary>The active manifest (claim generator, title, assertions, ingredients, signature info).</summary>
    public JsonObject? ActiveManifest { get; }

    /// <summary>The success statuses of the active manifest (e.g. <c>claimSignature.validated</c>, <c>assertion.dataHash.match</c>).</summary>
    public IReadOnlyList<C2paValidationStatus> Successes { get; }

    /// <summary>The informational statuses of the active manifest (e.g. <c>signingCredential.ocsp.skipped</c>).</summary>
    public IReadOnlyList<C2paValidationStatus> Informational { get; }

    /// <summary>The failure statuses of the active manifest (e.g. <c>assertion.dataHash.mismatch</c>).</summary>
    public IReadOnlyList<C2paValidationStatus> Failures { get; }

    /// <summary>The codes of <see cref="Successes"/>.</summary>
    public IReadOnlyList<string> SuccessCodes => [.. Successes.Select(s => s.Code)];

    /// <summary>The codes of <see cref="Failures"/>.</summary>
    public IReadOnlyList<string> FailureCodes => [.. Failures.Select(s => s.Code)];

    /// <summary>The active manifest's assertions, in the SDK's order.</summary>
    public IReadOnlyList<C2paAssertion> Assertions { get; }

    /// <summary>The active manifest's ingredients (title, relationship, and <c>active_manifest</c> when it has its own).</summary>
    public IReadOnlyList<JsonObject> Ingredients { get; }

    /// <summary>The data of the first assertion labelled <paramref name="label"/>, or null when there is none.</summary>
    public JsonNode? Assertion(string label) => Assertions.FirstOrDefault(a => a.Label == label)?.Data;

    /// <summary>A one-line summary for assertion messages: outcome, state and failure codes.</summary>
    public override string ToString() => Outcome switch
    {
        C2paReadOutcome.ManifestStore => $"{ValidationState} [{string.Join(", ", FailureCodes)}]",
        _ => $"{Outcome}: {Error}",
    };

    /// <summary>The result for what the harness answered to a read: a store, or <c>no_manifest</c>/<c>rejected</c> with an error.</summary>
    /// <exception cref="C2paSdkException">When the answer is none of these.</exception>
    internal static C2paReadResult FromHarness(JsonNode? answer)
    {
        if (answer is not JsonObject result)
        {
            throw new C2paSdkException($"The C2PA SDK harness answered a read with {answer?.ToJsonString() ?? "null"}, not an object.");
        }

        var error = result["error"]?.GetValue<string>();
        if (result["no_manifest"]?.GetValue<bool>() == true)
        {
            return new C2paReadResult(C2paReadOutcome.NoManifest, error, null);
        }

        if (result["rejected"]?.GetValue<bool>() == true)
        {
            return new C2paReadResult(C2paReadOutcome.Rejected, error, null);
        }

        return result["validation_state"] is null
            ? throw new C2paSdkException($"The C2PA SDK harness answered a read without a validation state: {Truncate(result.ToJsonString())}")
            : new C2paReadResult(C2paReadOutcome.ManifestStore, null, result);
    }

    private static IEnumerable<JsonObject> Objects(JsonNode? array) =>
        array is JsonArray items ? items.OfType<JsonObject>() : [];

    private static List<C2paValidationStatus> Statuses(JsonNode? array) =>
    [
        .. Objects(array).Select(s => new C2paValidationStatus(
            s["code"]?.GetValue<string>() ?? "",
            s["url"]?.GetValue<string>(),
            s["explanation"]?.GetValue<string>())),
    ];

    private static string Truncate(string text) => text.Length <= 500 ? text : text[..500] + "...";
}

using System.Reflection;
using System.Text.Json.Serialization;
using MobileAigc.Provenance.Core.Api;

namespace MobileAigc.Provenance.Ledger.Metrics;

/// <summary>
/// The label values of verification metrics: the same words the API answers with
/// (<c>content-hash</c>, <c>modified-but-traced</c>, ...), so a dashboard and a response read alike.
/// </summary>
public static class VerificationLabels
{
    /// <summary>The strategy label when no tracer matched.</summary>
    public const string NoMatch = "none";

    private static readonly IReadOnlyDictionary<VerificationMatchMethod, string> Strategies = NamesOf<VerificationMatchMethod>();
    private static readonly IReadOnlyDictionary<VerificationVerdict, string> Verdicts = NamesOf<VerificationVerdict>();

    /// <summary>The strategy that matched, or <see cref="NoMatch"/>.</summary>
    public static string Strategy(VerificationMatchMethod? method) =>
        method is { } m ? Strategies.GetValueOrDefault(m, "other") : NoMatch;

    /// <summary>The verdict as the API words it.</summary>
    public static string Verdict(VerificationVerdict verdict) => Verdicts.GetValueOrDefault(verdict, "other");

    private static Dictionary<T, string> NamesOf<T>()
        where T : struct, Enum =>
        typeof(T).GetFields(BindingFlags.Public | BindingFlags.Static).ToDictionary(
            f => (T)f.GetValue(null)!,
            f => f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? f.Name.ToLowerInvariant());
}

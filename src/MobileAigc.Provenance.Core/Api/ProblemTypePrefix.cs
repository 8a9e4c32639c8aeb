namespace MobileAigc.Provenance.Core.Api;

/// <summary>The URN namespace every problem type of both services' web APIs lives in.</summary>
internal static class ProblemTypePrefix
{
    /// <summary>Prepended to a problem's short name to make its stable <c>type</c>.</summary>
    internal const string Value = "urn:mobileaigc:problem:";
}

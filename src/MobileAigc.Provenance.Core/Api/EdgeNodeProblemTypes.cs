namespace MobileAigc.Provenance.Core.Api;

/// <summary>
/// The stable problem types with which an edge node's host refuses a request before any route
/// looks at it: access to the provider-only reads, and the host's protective limits.
/// </summary>
public static class EdgeNodeProblemTypes
{
    /// <summary>
    /// 401: a provider-only read (<c>v1/earnings</c>, <c>v1/channels/{id}</c>, <c>v1/node/held</c>)
    /// without the node's provider key as <c>Authorization: Bearer &lt;key&gt;</c>, or with another key.
    /// </summary>
    public const string ProviderKeyRequired = ProblemTypePrefix.Value + "provider-key-required";

    /// <summary>503: every generation slot is taken and the short queue is full; retry after the <c>Retry-After</c> seconds. Nothing was charged.</summary>
    public const string NodeBusy = ProblemTypePrefix.Value + "node-busy";

    /// <summary>400: the body is not what the route takes (not JSON, malformed JSON, a value of the wrong type or range).</summary>
    public const string MalformedBody = ProblemTypePrefix.Value + "malformed-body";

    /// <summary>500: the node failed unexpectedly; the answer says nothing more (the node's log does). Nothing was charged.</summary>
    public const string InternalError = ProblemTypePrefix.Value + "internal-error";

    /// <summary>404: the node keeps no evidence of that record (not its record, not anchored yet, or its proof not checked yet).</summary>
    public const string EvidenceNotKept = ProblemTypePrefix.Value + "evidence-not-kept";
}

/// <summary>
/// Members a node adds to a stale-nonce or underpaid refusal, after the voucher's signature proved
/// the caller is the channel's creator: where the channel stands at this node, so that a creator's
/// client without state resumes from there (the channel read itself is provider-only).
/// </summary>
public static class ChannelPositionMembers
{
    /// <summary>The latest nonce the node accepted on the channel (a decimal string).</summary>
    public const string AcceptedNonce = "acceptedNonce";

    /// <summary>The latest cumulative amount the node accepted on the channel (a decimal string).</summary>
    public const string AcceptedAmount = "acceptedAmount";
}

namespace MobileAigc.Provenance.Core.Api;

/// <summary>
/// The stable problem types (the <c>type</c> of the ProblemDetails) with which an edge node refuses a
/// generation request before any payment is looked at; a paid request's refusals are
/// <see cref="PaymentProblemTypes"/>. Nothing is generated, stored or charged.
/// </summary>
public static class GenerationProblemTypes
{
    /// <summary>400: an empty or over-long prompt, or a size or sampling parameter out of range.</summary>
    public const string InvalidParameter = ProblemTypePrefix.Value + "invalid-parameter";

    /// <summary>
    /// 404: the node serves no model of that name or hash and kind. The same type as the ledger's
    /// refusal of a record whose model it does not know (<see cref="RecordProblemTypes.UnknownModel"/>).
    /// </summary>
    public const string UnknownModel = RecordProblemTypes.UnknownModel;

    /// <summary>
    /// 400: the request names a public creator without proof: no signature over the request, and no
    /// voucher signed by that creator. Nothing is charged or generated. The ledger's type for a record
    /// naming a creator without proof.
    /// </summary>
    public const string CreatorNotAuthenticated = RecordProblemTypes.CreatorNotAuthenticated;

    /// <summary>
    /// 403: the creator's signature over the request is not the named creator's over this node, model,
    /// prompt and nonce in the ledger's domain, or the voucher that paid is another creator's. Nothing is
    /// charged or generated. The ledger's type for a record whose creator proof fails.
    /// </summary>
    public const string InvalidCreatorProof = RecordProblemTypes.InvalidCreatorProof;

    /// <summary>
    /// 503: the node cannot sign the picture's Content Credentials now: its C2PA signing certificate has expired (a provider's,
    /// which the node never renews) or its claim signer failed. Nothing is generated, stored or charged: found before the
    /// voucher is looked at when the certificate has expired, and the accepted voucher is released when signing fails later.
    /// </summary>
    public const string CredentialsUnavailable = ProblemTypePrefix.Value + "credentials-unavailable";
}

namespace MobileAigc.Provenance.Training.Image;

/// <summary>
/// Who a derivative model is and what it commits to. Written into its manifest and into the ONNX
/// file's <c>metadata_props</c>, so the file's SHA-256 (its identity on chain) commits to them.
/// </summary>
/// <param name="Name">The derivative's manifest name, e.g. <c>cppn-image-alice-1</c>.</param>
/// <param name="ParentSha256">The base model file's SHA-256, 0x-prefixed hex; must be the base model's.</param>
/// <param name="TrainingDataCommitment">A salted commitment to the example pictures (never the pictures).</param>
/// <param name="Owner">Who owns the derivative, e.g. an address.</param>
/// <param name="FineTunedBy">Who ran the fine-tuning, e.g. the node's address.</param>
public sealed record DerivativeIdentity(string Name, string ParentSha256, string TrainingDataCommitment, string Owner, string FineTunedBy);

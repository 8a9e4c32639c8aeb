namespace MobileAigc.Provenance.Training.Image;

/// <summary>
/// Who a derivative model is and what it commits to. Written into its manifest and into the ONNX
/// file's <c>metadata_props</c>, so the file's SHA-256 (its identity on chain) commits to them.
/// </summary>
/// <param name="Name">The derivative's manifest name, e.g. <c>cppn-image-alice-1</c> (1 to 100 characters, no control characters).</param>
/// <param name="ParentSha256">The base model file's SHA-256, 0x and 64 hex digits; must be the base model's.</param>
/// <param name="TrainingDataCommitment">A salted commitment to the example pictures (0x and 64 hex digits); the pictures never enter the model.</param>
/// <param name="Owner">Who owns the derivative, e.g. the creator's address (1 to 100 characters).</param>
/// <param name="FineTunedBy">Who ran the fine-tuning, e.g. the node's address (1 to 100 characters).</param>
public sealed record DerivativeIdentity(string Name, string ParentSha256, string TrainingDataCommitment, string Owner, string FineTunedBy);

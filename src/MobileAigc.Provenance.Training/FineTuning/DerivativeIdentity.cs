namespace MobileAigc.Provenance.Training.FineTuning;

/// <summary>
/// Who a derivative model is and what it commits to. <see cref="TextFineTuner"/> writes every field into the manifest
/// AND the ONNX file's <c>metadata_props</c>, so the file's SHA-256 (its identity on chain) commits to them.
/// </summary>
/// <param name="Name">The derivative's name in its manifest (1 to 100 characters, no control characters).</param>
/// <param name="ParentSha256">The SHA-256 of the base model's ONNX file, 0x-prefixed hex; must be the base model's.</param>
/// <param name="TrainingDataCommitment">A salted commitment to the training data (0x-prefixed, 32 bytes of hex); the data itself never enters the model.</param>
/// <param name="Owner">Who owns the derivative (e.g. the creator's address; 1 to 100 characters).</param>
/// <param name="FineTunedBy">Who ran the fine-tuning (e.g. the edge node's address; 1 to 100 characters).</param>
public sealed record DerivativeIdentity(string Name, string ParentSha256, string TrainingDataCommitment, string Owner, string FineTunedBy);

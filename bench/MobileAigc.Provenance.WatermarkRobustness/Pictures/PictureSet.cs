using MobileAigc.Provenance.Imaging;

namespace MobileAigc.Provenance.WatermarkRobustness.Pictures;

/// <summary>A picture of a set: its name in the report and its unmarked pixels.</summary>
public sealed record BenchmarkPicture(string Name, RgbImage Image);

/// <summary>A set of pictures the benchmark marks, attacks and reads, with its own results section.</summary>
/// <param name="Section">The name of its results section in the output file (<c>&lt;!-- results:NAME --&gt;</c>).</param>
/// <param name="Description">Where the pictures come from and how they were sized, for the report.</param>
/// <param name="Pictures">The pictures, in a fixed order (the report names failures by index and name).</param>
public sealed record PictureSet(string Section, string Description, IReadOnlyList<BenchmarkPicture> Pictures);

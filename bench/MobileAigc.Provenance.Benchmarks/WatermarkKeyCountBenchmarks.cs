using BenchmarkDotNet.Attributes;
using MobileAigc.Provenance.Imaging;
using MobileAigc.Provenance.Ledger.Verification;
using MobileAigc.Provenance.Watermarking;
using MobileAigc.Provenance.Watermarking.Image;
using MobileAigc.Provenance.Watermarking.Tests.Image;

namespace MobileAigc.Provenance.Benchmarks;

/// <summary>
/// What the number of enrolled node keys costs the ledger's watermark reading, one thread: an image read of a 1 MP
/// (1024 × 1024) picture, marked by the last key or unmarked, and the text detection of a 200-token text with the shipped
/// text model's tokenizer, each with 1 and with 1,000 keys. The read demodulates once whatever the count; a key adds a
/// MAC per decoded payload (image) or a keyed permutation per scored token (text).
/// </summary>
[MemoryDiagnoser]
public class WatermarkKeyCountBenchmarks
{
    private ImageWatermarkReader _reader = null!;
    private TextWatermarkDetector _detector = null!;
    private RgbImage _marked = null!;
    private RgbImage _unmarked = null!;
    private string _text = null!;

    /// <summary>How many node keys the ledger holds.</summary>
    [Params(1, 1_000)]
    public int Keys { get; set; }

    /// <summary>Makes the keys, the marked and unmarked 1 MP pictures and the 200-token text, and warms every path.</summary>
    [GlobalSetup]
    public void Setup()
    {
        WatermarkKey[] keys = [.. Enumerable.Range(0, Keys).Select(i => WatermarkKey.FromBytes(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(i))))];
        _reader = new ImageWatermarkReader(keys);
        _unmarked = SyntheticImages.Create(5, 1024, 1024);
        _marked = new ImageWatermarker(keys[^1]).Embed(_unmarked, 0x0123_4567_89AB_CDEF);
        var manifest = Path.Combine(RepositoryRoot(), "models", "kjv-char-mlp", "manifest.json");
        _detector = new TextWatermarkDetector(keys, TextWatermarkDetector.LoadModels([manifest]));
        var corpus = File.ReadAllText(Path.Combine(RepositoryRoot(), "models", "corpus", "kjv.txt"));
        // The shipped model's tokenizer works on characters: 200 characters are 200 tokens.
        _text = corpus.Substring(corpus.Length / 2, 200);
        if (_detector.Models[0].Tokenizer.Encode(_text).Length != 200 || _reader.Read(_marked).KeyIndices is not [var index] || index != Keys - 1)
        {
            throw new InvalidOperationException("The benchmark's inputs are not what it measures.");
        }

        for (var i = 0; i < 40; i++)
        {
            ReadMarkedImage();
            ReadUnmarkedImage();
            DetectText();
        }
    }

    /// <summary>Reads the marked 1 MP picture and attributes it to the last key.</summary>
    [Benchmark]
    public ImageWatermarkAttribution ReadMarkedImage() => _reader.Read(_marked);

    /// <summary>Reads the unmarked 1 MP picture: every grid and offset candidate is tried.</summary>
    [Benchmark]
    public ImageWatermarkAttribution ReadUnmarkedImage() => _reader.Read(_unmarked);

    /// <summary>Looks for any key's text watermark in a 200-token text.</summary>
    [Benchmark]
    public TextWatermarkHit? DetectText() => _detector.Detect(_text);

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "models", "kjv-char-mlp", "manifest.json")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository (its models folder) is not above " + AppContext.BaseDirectory + ".");
    }
}

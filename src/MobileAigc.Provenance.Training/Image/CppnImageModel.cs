using MobileAigc.Provenance.Generation;
using MobileAigc.Provenance.Training.Onnx;
using static Onnx.TensorProto.Types;

namespace MobileAigc.Provenance.Training.Image;

/// <summary>
/// A compositional pattern-producing network (CPPN) with fixed seeded weights: pixel coordinates are
/// warped by a latent-dependent sine field, lifted to multi-scale Fourier features whose phases the
/// latent sets, then mixed by a tanh and a sine layer into RGB through a sigmoid. Low frequencies give
/// the composition, high ones the texture an invisible watermark needs. Inputs <c>latent</c> float
/// [1, L], <c>coords</c> float [N, 3] (x, y, r), <c>init</c> float [N, 3] (the input picture's colour
/// at each pixel, 0..1) and <c>strength</c> float [1]; output <c>rgb</c> float [N, 3] in 0..1.
/// </summary>
/// <remarks>
/// Image-to-image, SDEdit-style for a network without an encoder: with <c>keep = 1 − strength</c>,
/// the input's colours bend every Fourier phase (scaled by <c>keep</c>, so the texture follows the
/// input's regions and edges), and the colour logits are <c>strength · network + keep · logit(init)</c>.
/// Strength 1 gives exactly the text-to-image picture (every conditioning term is multiplied by
/// zero); strength 0 gives the input back. The conditioning weights come from their own seeded
/// stream, so the weights of the text-to-image network are those of the first release.
/// </remarks>
public static class CppnImageModel
{
    /// <summary>The latent size L.</summary>
    public const int LatentSize = 32;

    /// <summary>The seed of every weight.</summary>
    public const ulong Seed = 0x5EED_C0DE_2024UL;

    private const int Warp = 16;
    private const int Fourier = 96;
    private const int Hidden = 64;

    /// <summary>How far an input colour is kept from 0 and 1 before its logit is taken.</summary>
    private const float InitMargin = 1f / 512;

    /// <summary>The network's ONNX bytes; the same on every run.</summary>
    public static byte[] Export(string docString)
    {
        var random = new SeededRandom(Seed);
        var g = new OnnxGraphBuilder("cppn_image");
        var latent = g.Input("latent", DataType.Float, 1, LatentSize);
        var coords = g.Input("coords", DataType.Float, "pixels", 3);
        var init = g.Input("init", DataType.Float, "pixels", 3);
        var strength = g.Input("strength", DataType.Float, 1);
        g.Output("rgb", DataType.Float, "pixels", 3);
        var conditioning = new SeededRandom(Seed ^ ConditioningStream);
        var keep = g.Node("Sub", "keep", [g.Initializer("one", [1f]), strength]);
        var initCentred = g.Node("Sub", "init_centred", [init, g.Initializer("half", [0.5f], 1)]);

        // 1. Domain warp: coordinates pushed along a smooth, latent-dependent sine field.
        var warpIn = g.Initializer("warp.in", Normal(random, 3 * Warp, 2.5), 3, Warp);
        var warpLatent = g.Initializer("warp.latent", Normal(random, LatentSize * Warp, 1.0), LatentSize, Warp);
        var warpOut = g.Initializer("warp.out", Normal(random, Warp * 3, 0.2), Warp, 3);
        var warpField = g.Node("Sin", "warp_field", [Add(g, "warp_pre", g.Node("MatMul", "warp_mm", [coords, warpIn]), g.Node("MatMul", "warp_lat", [latent, warpLatent]))]);
        var warped = g.Node("Add", "warped", [coords, g.Node("MatMul", "warp_delta", [warpField, warpOut])]);

        // 2. Fourier features over octaves 1..~48 rad/unit; the latent picks every phase.
        var frequencies = new float[3 * Fourier];
        for (var k = 0; k < Fourier; k++)
        {
            var scale = Math.Pow(2, 7.3 * k / Fourier);
            var angle = random.NextDouble() * 2 * Math.PI;
            frequencies[k] = (float)(scale * Math.Cos(angle));
            frequencies[Fourier + k] = (float)(scale * Math.Sin(angle));
            frequencies[(2 * Fourier) + k] = (float)(scale * random.NextGaussian() * 0.15);
        }

        var fourierIn = g.Initializer("fourier.in", frequencies, 3, Fourier);
        var fourierLatent = g.Initializer("fourier.latent", Normal(random, LatentSize * Fourier, 1.2), LatentSize, Fourier);
        var fourierInit = g.Initializer("fourier.init", Normal(conditioning, 3 * Fourier, 2.0), 3, Fourier);
        var initPhase = g.Node("Mul", "fourier_init_kept", [g.Node("MatMul", "fourier_init", [initCentred, fourierInit]), keep]);
        var features = g.Node("Sin", "features", [Add(g, "features_pre_init", Add(g, "features_pre", g.Node("MatMul", "fourier_mm", [warped, fourierIn]), g.Node("MatMul", "fourier_lat", [latent, fourierLatent])), initPhase)]);

        // Octave weights fall with frequency (like natural images' 1/f spectrum) without vanishing.
        var octave = new float[Fourier];
        for (var k = 0; k < Fourier; k++)
        {
            octave[k] = (float)Math.Pow(2, -1.4 * k / Fourier);
        }

        var weighted = g.Node("Mul", "features_weighted", [features, g.Initializer("fourier.octave", octave, Fourier)]);

        // 3. Mixing layers.
        var w2 = g.Initializer("mix1.weight", Normal(random, Fourier * Hidden, 2.2 / Math.Sqrt(Fourier)), Fourier, Hidden);
        var z2 = g.Initializer("mix1.latent", Normal(random, LatentSize * Hidden, 0.6 / Math.Sqrt(LatentSize)), LatentSize, Hidden);
        var h2 = g.Node("Tanh", "mix1", [Add(g, "mix1_pre", g.Node("MatMul", "mix1_mm", [weighted, w2]), g.Node("MatMul", "mix1_lat", [latent, z2]))]);
        var w3 = g.Initializer("mix2.weight", Normal(random, Hidden * Hidden, 2.0 / Math.Sqrt(Hidden)), Hidden, Hidden);
        var z3 = g.Initializer("mix2.latent", Normal(random, LatentSize * Hidden, 3.0 / Math.Sqrt(LatentSize)), LatentSize, Hidden);
        var h3 = g.Node("Sin", "mix2", [Add(g, "mix2_pre", g.Node("MatMul", "mix2_mm", [h2, w3]), g.Node("MatMul", "mix2_lat", [latent, z3]))]);

        // 4. Colour: natural pictures' channels move together, so a shared luminance term dominates
        // and a smaller chroma term (with a latent-dependent tint) colours it.
        var luminance = Normal(random, Hidden, 1.0 / Math.Sqrt(Hidden));
        var chroma = Normal(random, Hidden * 3, 0.35 / Math.Sqrt(Hidden));
        var colour = new float[Hidden * 3];
        for (var j = 0; j < Hidden; j++)
        {
            for (var c = 0; c < 3; c++)
            {
                colour[(j * 3) + c] = luminance[j] + chroma[(j * 3) + c];
            }
        }

        var wo = g.Initializer("rgb.weight", colour, Hidden, 3);
        var zo = g.Initializer("rgb.latent", Normal(random, LatentSize * 3, 0.45 / Math.Sqrt(LatentSize)), LatentSize, 3);
        var h2o = g.Initializer("rgb.mix1", Normal(random, Hidden * 3, 0.5 / Math.Sqrt(Hidden)), Hidden, 3);
        var colourPre = g.Node("Add", "rgb_pre", [
            Add(g, "rgb_pre_a", g.Node("MatMul", "rgb_mm", [h3, wo]), g.Node("MatMul", "rgb_lat", [latent, zo])),
            g.Node("MatMul", "rgb_mix1", [h2, h2o]),
        ]);
        var network = g.Node("Mul", "rgb_network", [g.Node("Mul", "rgb_gain", [colourPre, g.Initializer("rgb.gain", [1.3f])]), strength]);

        // 5. SDEdit mix: the input's colour logits, kept by (1 − strength), under the network's.
        var clipped = g.Node("Clip", "init_clipped", [init, g.Initializer("init.min", [InitMargin]), g.Initializer("init.max", [1f - InitMargin])]);
        var initLogit = g.Node("Sub", "init_logit", [g.Node("Log", "init_log", [clipped]), g.Node("Log", "init_log_rest", [g.Node("Sub", "init_rest", [g.Initializer("one.rgb", [1f]), clipped])])]);
        g.Node("Sigmoid", "rgb", [Add(g, "rgb_mixed", network, g.Node("Mul", "init_kept", [initLogit, keep]))]);
        return g.ToBytes("MobileAigc.Provenance.ModelBuilder", docString);
    }

    private const ulong ConditioningStream = 0x1A9E_1D17UL;

    private static string Add(OnnxGraphBuilder g, string name, string a, string b) => g.Node("Add", name, [a, b]);

    private static float[] Normal(SeededRandom random, int count, double scale)
    {
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = (float)(random.NextGaussian() * scale);
        }

        return values;
    }
}

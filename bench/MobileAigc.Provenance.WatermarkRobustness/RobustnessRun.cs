using System.Diagnostics;
using MobileAigc.Provenance.Watermarking.Image;
using MobileAigc.Provenance.Watermarking.Tests.Image;
using MobileAigc.Provenance.WatermarkRobustness.Pictures;

namespace MobileAigc.Provenance.WatermarkRobustness;

/// <summary>What marking, attacking and reading one picture set gave.</summary>
/// <param name="Set">The pictures.</param>
/// <param name="Attacks">The attacks, in table order.</param>
/// <param name="Psnr">PSNR of each marked picture against its original, dB.</param>
/// <param name="Recovered">Per picture and attack: whether the exact payload was read.</param>
/// <param name="Confidence">Per picture and attack: the reading's confidence (0 when nothing was read).</param>
/// <param name="UnmarkedHits">How many unmarked originals gave a payload.</param>
/// <param name="WrongKeyHits">How many marked pictures gave a payload to a reader with another key.</param>
/// <param name="Elapsed">Wall time.</param>
public sealed record RobustnessResult(
    PictureSet Set, IReadOnlyList<Attack> Attacks, double[] Psnr, bool[,] Recovered, double[,] Confidence, int UnmarkedHits, int WrongKeyHits, TimeSpan Elapsed);

/// <summary>Marks each picture of a set with its own random payload, attacks it every way, and reads it back; pictures in parallel.</summary>
public static class RobustnessRun
{
    /// <summary>Runs the set through every attack.</summary>
    public static RobustnessResult Run(PictureSet set, IReadOnlyList<Attack> attacks, ImageWatermarker watermarker, ImageWatermarker stranger)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(attacks);
        ArgumentNullException.ThrowIfNull(watermarker);
        ArgumentNullException.ThrowIfNull(stranger);
        var count = set.Pictures.Count;
        var psnr = new double[count];
        var recovered = new bool[count, attacks.Count];
        var confidence = new double[count, attacks.Count];
        var wrongKeyHits = 0;
        var unmarkedHits = 0;
        var clock = Stopwatch.StartNew();
        Parallel.For(0, count, i =>
        {
            var original = set.Pictures[i].Image;
            var payload = (ulong)new Random(i).NextInt64() ^ 0x5A5A_0000_0000_0000UL;
            var marked = watermarker.Embed(original, payload);
            psnr[i] = ImageAttacks.Psnr(original, marked);
            for (var a = 0; a < attacks.Count; a++)
            {
                var reading = watermarker.Extract(attacks[a].Apply(marked, i));
                recovered[i, a] = reading.Found && reading.Payload == payload;
                confidence[i, a] = reading.Confidence;
            }

            if (stranger.Extract(marked).Found)
            {
                Interlocked.Increment(ref wrongKeyHits);
            }

            if (watermarker.Extract(original).Found)
            {
                Interlocked.Increment(ref unmarkedHits);
            }
        });
        return new RobustnessResult(set, attacks, psnr, recovered, confidence, unmarkedHits, wrongKeyHits, clock.Elapsed);
    }
}

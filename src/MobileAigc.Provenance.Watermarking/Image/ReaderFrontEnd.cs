using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;

namespace MobileAigc.Provenance.Watermarking.Image;

/// <summary>
/// The reader's front end: what every read folds, and what the embedder measures the host through
/// (<see cref="ReaderResponse"/>), so that the two see the same thing.
/// </summary>
internal static class ReaderFrontEnd
{
    /// <summary>
    /// The luma with its low frequencies removed, its local contrast normalised and clipped, then locally
    /// whitened (<see cref="SpectralWhitening"/>), written to <paramref name="target"/> (the luma's size): what is left is
    /// mostly watermark and the picture's broadband texture, with no region (an edge, a bright sky) and no locally dominant
    /// frequency (a stripe pattern) dominating.
    /// The embedder measures the host through this same function, so the two must stay one.
    /// </summary>
    public static void Residual(LumaPlane luma, LumaPlane target)
    {
        var normalised = LumaPlane.Rent(luma.Width, luma.Height);
        try
        {
            SpectralWhitening.Apply(Normalised(luma, normalised.Values), target);
        }
        finally
        {
            normalised.Return();
        }
    }

    /// <summary><see cref="Residual"/> of two planes at once (about the cost of one).</summary>
    public static void Residuals(LumaPlane first, LumaPlane second, LumaPlane targetFirst, LumaPlane targetSecond)
    {
        var normalisedFirst = LumaPlane.Rent(first.Width, first.Height);
        var normalisedSecond = LumaPlane.Rent(second.Width, second.Height);
        try
        {
            SpectralWhitening.Apply(Normalised(first, normalisedFirst.Values), Normalised(second, normalisedSecond.Values), targetFirst, targetSecond);
        }
        finally
        {
            normalisedFirst.Return();
            normalisedSecond.Return();
        }
    }

    /// <summary>
    /// The luma high-passed, divided by its local RMS and clipped, written to <paramref name="target"/> (at least the
    /// plane's size; pooled by the caller, since it only feeds the whitening): <see cref="Residual"/> before whitening.
    /// </summary>
    public static LumaPlane Normalised(LumaPlane luma, float[] target)
    {
        // The intermediate planes are pooled (see LumaPlane.BoxBlur); the arithmetic is the scalar version's, lane by lane.
        var length = luma.Width * luma.Height;
        var smooth = ArrayPool<float>.Shared.Rent(length);
        var energy = ArrayPool<float>.Shared.Rent(length);
        var localEnergy = ArrayPool<float>.Shared.Rent(length);
        try
        {
            luma.BoxBlur(smooth, radius: 4, passes: 3);
            var lanes = Vector<float>.Count;
            var vectorEnd = length - length % lanes;
            var source = luma.Values;

            // Through references, the planes checked once: bounds checks on every vector cost as much as the arithmetic.
            ref var sourceRef = ref MemoryMarshal.GetReference(source.AsSpan(0, length));
            ref var smoothRef = ref MemoryMarshal.GetReference(smooth.AsSpan(0, length));
            ref var targetRef = ref MemoryMarshal.GetReference(target.AsSpan(0, length));
            ref var energyRef = ref MemoryMarshal.GetReference(energy.AsSpan(0, length));
            ref var localEnergyRef = ref MemoryMarshal.GetReference(localEnergy.AsSpan(0, length));
            for (nuint i = 0; i < (nuint)vectorEnd; i += (nuint)lanes)
            {
                var value = Vector.LoadUnsafe(ref sourceRef, i) - Vector.LoadUnsafe(ref smoothRef, i);
                value.StoreUnsafe(ref targetRef, i);
                (value * value).StoreUnsafe(ref energyRef, i);
            }

            for (var i = vectorEnd; i < length; i++)
            {
                var value = source[i] - smooth[i];
                target[i] = value;
                energy[i] = value * value;
            }

            new LumaPlane(luma.Width, luma.Height, energy).BoxBlur(localEnergy, radius: 8);
            var (low, high, one) = (new Vector<float>(-4f), new Vector<float>(4f), Vector<float>.One);
            for (nuint i = 0; i < (nuint)vectorEnd; i += (nuint)lanes)
            {
                var value = Vector.LoadUnsafe(ref targetRef, i) / Vector.SquareRoot(Vector.LoadUnsafe(ref localEnergyRef, i) + one);
                Vector.Min(Vector.Max(value, low), high).StoreUnsafe(ref targetRef, i);
            }

            for (var i = vectorEnd; i < length; i++)
            {
                target[i] = Math.Clamp(target[i] / MathF.Sqrt(localEnergy[i] + 1f), -4f, 4f);
            }

            return new LumaPlane(luma.Width, luma.Height, target);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(smooth);
            ArrayPool<float>.Shared.Return(energy);
            ArrayPool<float>.Shared.Return(localEnergy);
        }
    }
}

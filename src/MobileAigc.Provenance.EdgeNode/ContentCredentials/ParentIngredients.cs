using MobileAigc.Provenance.Credentials.Building;
using MobileAigc.Provenance.Credentials.Containers;
using MobileAigc.Provenance.Credentials.Jumbf;
using MobileAigc.Provenance.Credentials.Validation;
using MobileAigc.Provenance.Imaging;

namespace MobileAigc.Provenance.EdgeNode.ContentCredentials;

/// <summary>
/// The <c>parentOf</c> ingredient of an image-to-image result: the input picture, with its own manifest store copied
/// when it carries a readable one of at most <see cref="MaxParentStoreBytes"/>, and the verdict the node's validator
/// gave it (C2PA records the verdict an ingredient was taken with).
/// </summary>
/// <remarks>
/// A store that is broken, too large or holds no manifest is not copied: the ingredient then describes the picture
/// alone, as for any input without credentials. The parent's signer is judged against no trust list here (the node
/// trusts nobody's credentials on a creator's behalf), so a parent signed by anyone reads <c>signingCredential.untrusted</c>.
/// </remarks>
public static class ParentIngredients
{
    /// <summary>The largest parent manifest store copied into the node's: 1 MiB.</summary>
    public const int MaxParentStoreBytes = 1 << 20;

    private static readonly ManifestValidator Validator = new();

    /// <summary>The ingredient for the input file <paramref name="input"/> (a PNG, JPEG or WebP the node decoded already).</summary>
    public static ParentIngredient Of(ReadOnlyMemory<byte> input)
    {
        var (title, mediaType) = ImageCodec.Sniff(input.Span) switch
        {
            ImageFileFormat.Jpeg => ("input.jpg", "image/jpeg"),
            ImageFileFormat.Webp => ("input.webp", "image/webp"),
            _ => ("input.png", "image/png"),
        };
        var (store, results) = ReadStore(input);
        return new ParentIngredient(title, mediaType, store, results);
    }

    private static (ReadOnlyMemory<byte> Store, IngredientValidationResults? Results) ReadStore(ReadOnlyMemory<byte> input)
    {
        try
        {
            if (AssetContainers.Locate(input) is not { } location || location.ManifestStore.Length > MaxParentStoreBytes)
            {
                return (ReadOnlyMemory<byte>.Empty, null);
            }

            var report = Validator.ValidateFile(input);
            return report is { Store: not null, ActiveManifest: { } active }
                ? (location.ManifestStore, IngredientValidationResults.From(active))
                : (ReadOnlyMemory<byte>.Empty, null);
        }
        catch (JumbfException)
        {
            return (ReadOnlyMemory<byte>.Empty, null);
        }
    }
}

using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Training.FineTuning;
using MobileAigc.Provenance.Training.Image;

namespace MobileAigc.Provenance.EdgeNode.FineTuning;

/// <summary>
/// The pictures of a fine-tune request for an image model, checked before anything is charged or stored: the right kind of
/// examples, within the node's <see cref="FineTuningOptions.MaxPictures"/> and <see cref="FineTuningOptions.MaxPictureBytes"/>,
/// and usable by the training library (<see cref="ImageFineTuner.CheckPictures"/> decodes each within its pixel bound).
/// </summary>
public static class PictureExamples
{
    /// <summary>Checks the pictures of <paramref name="request"/> for the image model <paramref name="model"/>.</summary>
    /// <returns>The pictures.</returns>
    /// <exception cref="FineTuneRefusedException">When the request is refused (its type, status and picture say why).</exception>
    public static IReadOnlyList<byte[]> Check(string model, FineTuneRequest request, FineTuningOptions options)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        var pictures = request.Pictures;
        var hasTexts = request.Examples is { Count: > 0 } texts && !texts.All(string.IsNullOrWhiteSpace);
        if (pictures is not { Count: > 0 })
        {
            throw hasTexts
                ? new FineTuneRefusedException(FineTuneProblemTypes.UnsupportedData, 422,
                    $"Model '{model}' is an image model: it learns from example pictures ('pictures', PNG, JPEG or WebP files in base64), not from texts.")
                : new FineTuneRefusedException(FineTuneProblemTypes.ExamplesEmpty, 400,
                    "The request carries no example picture: send 'pictures', a list of PNG, JPEG or WebP files (base64) the model should learn from.");
        }

        if (hasTexts)
        {
            throw new FineTuneRefusedException(FineTuneProblemTypes.MixedExamples, 400,
                $"The request carries both texts and pictures: model '{model}' is an image model, send only 'pictures'.");
        }

        if (pictures.Count > options.MaxPictures)
        {
            throw new FineTuneRefusedException(FineTuneProblemTypes.ExamplesTooLarge, 413,
                $"The request carries {pictures.Count} pictures; this node takes at most {options.MaxPictures}.");
        }

        var bytes = pictures.Sum(p => (long)(p?.Length ?? 0));
        if (bytes > options.MaxPictureBytes)
        {
            throw new FineTuneRefusedException(FineTuneProblemTypes.ExamplesTooLarge, 413,
                $"The pictures hold {bytes} bytes; this node takes at most {options.MaxPictureBytes} in all.");
        }

        try
        {
            ImageFineTuner.CheckPictures(pictures, CancellationToken.None);
        }
        catch (FineTuneInputException e)
        {
            throw new FineTuneRefusedException(FineTuneProblemTypes.BadPicture, 400, e.Message + " Nothing was charged.") { PictureIndex = e.ExampleIndex };
        }

        return pictures;
    }
}

using System.Formats.Cbor;
using System.Globalization;

namespace MobileAigc.Provenance.Credentials.Building;

/// <summary>
/// Writes <c>c2pa.actions.v2</c>: the image was created by a trained model (or, for an image-to-image
/// derivation, its parent was opened and edited by one), then watermarked for a soft binding.
/// </summary>
internal static class ActionsAssertion
{
    /// <summary>The IPTC digital source type of media made by a trained generative model.</summary>
    public const string TrainedAlgorithmicMedia = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia";

    /// <summary>The action of C2PA 2.2 for a watermark inserted to make a soft binding.</summary>
    public const string Watermarked = "c2pa.watermarked.bound";

    /// <summary>The key under which the model's hash extends the software agent's generator-info map.</summary>
    public const string ModelHashKey = "org.mobileaigc.modelHash";

    public static byte[] Encode(GeneratingModel model, DateTimeOffset when, string generatorVersion, HashedUriEntry? parent)
    {
        var writer = new CborWriter(CborConformanceMode.Strict);
        writer.WriteStartMap(1);
        writer.WriteTextString("actions");
        writer.WriteStartArray(parent is null ? 2 : 3);
        if (parent is not null)
        {
            WriteOpened(writer, parent);
        }

        WriteGeneration(writer, parent is null ? "c2pa.created" : "c2pa.edited", model, when);
        WriteWatermarked(writer, generatorVersion);
        writer.WriteEndArray();
        writer.WriteEndMap();
        return writer.Encode();
    }

    private static void WriteOpened(CborWriter writer, HashedUriEntry parent)
    {
        writer.WriteStartMap(2);
        writer.WriteTextString("action");
        writer.WriteTextString("c2pa.opened");
        writer.WriteTextString("parameters");
        writer.WriteStartMap(1);
        writer.WriteTextString("ingredients");
        writer.WriteStartArray(1);
        parent.WriteTo(writer);
        writer.WriteEndArray();
        writer.WriteEndMap();
        writer.WriteEndMap();
    }

    private static void WriteGeneration(CborWriter writer, string action, GeneratingModel model, DateTimeOffset when)
    {
        writer.WriteStartMap(4);
        writer.WriteTextString("action");
        writer.WriteTextString(action);
        writer.WriteTextString("when");
        writer.WriteTextString(when.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        writer.WriteTextString("digitalSourceType");
        writer.WriteTextString(TrainedAlgorithmicMedia);
        writer.WriteTextString("softwareAgent");
        writer.WriteStartMap(model.Version is null ? 2 : 3);
        writer.WriteTextString("name");
        writer.WriteTextString(model.Name);
        if (model.Version is not null)
        {
            writer.WriteTextString("version");
            writer.WriteTextString(model.Version);
        }

        writer.WriteTextString(ModelHashKey);
        writer.WriteTextString(model.ModelHash.ToString());
        writer.WriteEndMap();
        writer.WriteEndMap();
    }

    private static void WriteWatermarked(CborWriter writer, string generatorVersion)
    {
        writer.WriteStartMap(2);
        writer.WriteTextString("action");
        writer.WriteTextString(Watermarked);
        writer.WriteTextString("softwareAgent");
        ClaimV2.WriteGeneratorInfo(writer, generatorVersion);
        writer.WriteEndMap();
    }
}

using System.Formats.Cbor;
using MobileAigc.Provenance.Credentials.Building;
using MobileAigc.Provenance.Credentials.Containers;
using MobileAigc.Provenance.Credentials.Jumbf;

namespace MobileAigc.Provenance.Credentials.Tests.Building;

/// <summary>A signed file read back with the Jumbf and Containers code: the pieces a round trip checks.</summary>
internal sealed class WrittenManifest
{
    private WrittenManifest(ManifestStoreLocation location, JumbfSuperBox manifest)
    {
        Location = location;
        Manifest = manifest;
        Assertions = manifest.FindChild(AssertionLabels.AssertionStore)!;
        ClaimCbor = manifest.FindChild(AssertionLabels.Claim)!.FindData(JumbfBoxTypes.Cbor)!.Payload.ToArray();
        Signature = manifest.FindChild(AssertionLabels.Signature)!.FindData(JumbfBoxTypes.Cbor)!.Payload.ToArray();
    }

    public ManifestStoreLocation Location { get; }

    public JumbfSuperBox Manifest { get; }

    public JumbfSuperBox Assertions { get; }

    public byte[] ClaimCbor { get; }

    public byte[] Signature { get; }

    public static WrittenManifest Read(byte[] file)
    {
        var location = AssetContainers.Locate(file) ?? throw new InvalidOperationException("No manifest store.");
        var store = JumbfReader.ReadSuperBox(location.ManifestStore);
        return new WrittenManifest(location, Assert.Single(store.SuperBoxes));
    }

    public JumbfSuperBox Assertion(string label) => Assertions.FindChild(label) ?? throw new InvalidOperationException($"No assertion {label}.");

    public CborReader AssertionCbor(string label) => new(Assertion(label).FindData(JumbfBoxTypes.Cbor)!.Payload);

    /// <summary>The claim's created assertions: url and hash.</summary>
    public List<(string Url, byte[] Hash)> CreatedAssertions()
    {
        var reader = new CborReader(ClaimCbor);
        var result = new List<(string, byte[])>();
        var entries = reader.ReadStartMap();
        for (var i = 0; i < entries; i++)
        {
            var key = reader.ReadTextString();
            if (key != "created_assertions")
            {
                reader.SkipValue();
                continue;
            }

            var count = reader.ReadStartArray();
            for (var j = 0; j < count; j++)
            {
                var map = ReadMap(reader);
                result.Add(((string)map["url"], (byte[])map["hash"]));
            }

            reader.ReadEndArray();
        }

        return result;
    }

    /// <summary>Reads a CBOR map into text, byte-string, integer and nested map/array values.</summary>
    public static Dictionary<string, object> ReadMap(CborReader reader)
    {
        var map = new Dictionary<string, object>();
        var count = reader.ReadStartMap();
        for (var i = 0; i < count; i++)
        {
            map[reader.ReadTextString()] = ReadValue(reader);
        }

        reader.ReadEndMap();
        return map;
    }

    private static object ReadValue(CborReader reader) => reader.PeekState() switch
    {
        CborReaderState.TextString => reader.ReadTextString(),
        CborReaderState.ByteString => reader.ReadByteString(),
        CborReaderState.UnsignedInteger => reader.ReadUInt64(),
        CborReaderState.StartMap => ReadMap(reader),
        CborReaderState.StartArray => ReadArray(reader),
        _ => throw new InvalidOperationException($"Unexpected CBOR {reader.PeekState()}."),
    };

    private static List<object> ReadArray(CborReader reader)
    {
        var count = reader.ReadStartArray();
        var items = new List<object>();
        for (var i = 0; i < count; i++)
        {
            items.Add(ReadValue(reader));
        }

        reader.ReadEndArray();
        return items;
    }
}

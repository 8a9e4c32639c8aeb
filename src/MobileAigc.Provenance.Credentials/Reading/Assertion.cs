using System.Formats.Cbor;
using System.Text.Json;
using System.Text.Json.Nodes;
using MobileAigc.Provenance.Credentials.Jumbf;

namespace MobileAigc.Provenance.Credentials.Reading;

/// <summary>How an assertion's content is stored.</summary>
public enum AssertionKind
{
    /// <summary>A CBOR box.</summary>
    Cbor,

    /// <summary>A JSON box.</summary>
    Json,

    /// <summary>An embedded file (a thumbnail, for instance).</summary>
    EmbeddedFile,

    /// <summary>Any other content type, kept as its box.</summary>
    Other,
}

/// <summary>One assertion of a manifest's assertion store.</summary>
public sealed class Assertion
{
    private Assertion(JumbfSuperBox box, AssertionKind kind, JsonNode? content, JumbfEmbeddedFile? file, string? error)
    {
        Box = box;
        Kind = kind;
        Content = content;
        File = file;
        Error = error;
    }

    /// <summary>The assertion's label, e.g. <c>c2pa.hash.data</c> or <c>c2pa.ingredient__1</c>.</summary>
    public string Label => Box.Label ?? "";

    /// <summary>The label without a <c>__N</c> instance suffix.</summary>
    public string BaseLabel => Label.Split("__")[0];

    /// <summary>How the content is stored.</summary>
    public AssertionKind Kind { get; }

    /// <summary>The CBOR or JSON content as JSON, or null (embedded files, undecodable content).</summary>
    public JsonNode? Content { get; }

    /// <summary>The embedded file, for <see cref="AssertionKind.EmbeddedFile"/>.</summary>
    public JumbfEmbeddedFile? File { get; }

    /// <summary>Why the content could not be decoded, or null.</summary>
    public string? Error { get; }

    /// <summary>The assertion's superbox, exact bytes included.</summary>
    public JumbfSuperBox Box { get; }

    /// <summary>Reads the assertion in <paramref name="box"/>; undecodable content gives an assertion with <see cref="Error"/>.</summary>
    public static Assertion Read(JumbfSuperBox box)
    {
        ArgumentNullException.ThrowIfNull(box);
        if (box.ContentType == C2paContentTypes.Cbor)
        {
            var cbor = box.FindData(JumbfBoxTypes.Cbor);
            if (cbor is null)
            {
                return new Assertion(box, AssertionKind.Cbor, null, null, "the assertion has no cbor box");
            }

            try
            {
                return new Assertion(box, AssertionKind.Cbor, CborJson.Decode(cbor.Payload), null, null);
            }
            catch (CborContentException e)
            {
                return new Assertion(box, AssertionKind.Cbor, null, null, e.Message);
            }
        }

        if (box.ContentType == C2paContentTypes.Json)
        {
            var json = box.FindData(JumbfBoxTypes.Json);
            try
            {
                return json is null
                    ? new Assertion(box, AssertionKind.Json, null, null, "the assertion has no json box")
                    : new Assertion(box, AssertionKind.Json, JsonNode.Parse(json.Payload.Span, documentOptions: new JsonDocumentOptions { MaxDepth = CborJson.MaxDepth }), null, null);
            }
            catch (JsonException e)
            {
                return new Assertion(box, AssertionKind.Json, null, null, e.Message);
            }
        }

        if (box.ContentType == C2paContentTypes.EmbeddedFile)
        {
            try
            {
                return new Assertion(box, AssertionKind.EmbeddedFile, null, JumbfEmbeddedFile.From(box), null);
            }
            catch (JumbfException e)
            {
                return new Assertion(box, AssertionKind.EmbeddedFile, null, null, e.Message);
            }
        }

        return new Assertion(box, AssertionKind.Other, null, null, null);
    }
}

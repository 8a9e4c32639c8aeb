using System.Text.Json.Nodes;

namespace MobileAigc.Provenance.Testing.C2pa;

/// <summary>An assertion of a manifest as the official SDK reports it.</summary>
/// <param name="Label">Its label, e.g. <c>c2pa.actions.v2</c> (the SDK omits <c>c2pa.hash.data</c> and thumbnails here).</param>
/// <param name="Data">Its content as JSON (CBOR assertions decoded by the SDK), or null when it has none.</param>
public sealed record C2paAssertion(string Label, JsonNode? Data);

using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Ledger.Tests.Verification;

/// <summary><c>api/verify</c> called as a browser or a tool would, and the parts of its answer the credentials tests read.</summary>
internal static class VerifyCalls
{
    /// <summary>Uploads <paramref name="file"/> (its media type from the name's extension) and parses the 200 answer.</summary>
    public static async Task<JsonDocument> PostAsync(HttpClient http, byte[] file, string name)
    {
        using var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue(Path.GetExtension(name) switch
        {
            ".png" => "image/png",
            ".webp" => "image/webp",
            _ => "image/jpeg",
        });
        using var form = new MultipartFormDataContent { { content, "file", name } };
        using var response = await http.PostAsync(new Uri("api/verify", UriKind.Relative), form);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body);
    }

    /// <summary>Asks by hash and parses the 200 answer.</summary>
    public static async Task<JsonDocument> GetAsync(HttpClient http, Bytes32 hash)
    {
        using var response = await http.GetAsync(new Uri($"api/verify/{hash}", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body);
    }

    /// <summary>The codes of the credentials' <paramref name="kind"/> statuses (<c>success</c>, <c>informational</c>, <c>failure</c>).</summary>
    public static HashSet<string> Codes(JsonElement credentials, string kind) =>
        [.. credentials.GetProperty(kind).EnumerateArray().Select(status => status.GetProperty("code").GetString() ?? "")];
}

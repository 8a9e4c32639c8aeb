using System.Net.Http.Json;
using System.Text.Json;

namespace MobileAigc.Provenance.Cli.Common;

/// <summary>Reads and calls the JSON API of a ledger or an edge node with clear errors.</summary>
internal static class ServiceHttp
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>A client for the service at <paramref name="baseUrl"/>, given by <paramref name="option"/>.</summary>
    /// <exception cref="ArgumentException">When the URL is not http(s).</exception>
    public static HttpClient Create(string option, string baseUrl) =>
        Uri.TryCreate(baseUrl.TrimEnd('/') + "/", UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? new HttpClient { BaseAddress = uri, Timeout = TimeSpan.FromSeconds(30) }
            : throw new ArgumentException($"{option} must be an http(s) URL; got '{baseUrl}'.");

    /// <summary>
    /// A client for an edge node's provider-only reads: it presents the provider key kept in
    /// <paramref name="keyFile"/> (<c>provider.key</c> in the node's data folder), read from a file so
    /// that it never appears on a command line or in a shell's history.
    /// </summary>
    /// <exception cref="ArgumentException">When the URL is not http(s).</exception>
    /// <exception cref="FileNotFoundException">When the key file is missing.</exception>
    public static HttpClient CreateForProvider(string option, string baseUrl, FileInfo keyFile)
    {
        ArgumentNullException.ThrowIfNull(keyFile);
        if (!keyFile.Exists)
        {
            throw new FileNotFoundException($"No provider key file at '{keyFile.FullName}' (the node creates provider.key in its data folder).");
        }

        var http = Create(option, baseUrl);
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", File.ReadAllText(keyFile.FullName).Trim());
        return http;
    }

    /// <summary>GETs <paramref name="path"/> and reads its JSON.</summary>
    /// <exception cref="InvalidOperationException">When the service does not answer, refuses, or answers with no body.</exception>
    public static Task<T> GetAsync<T>(HttpClient http, string path, CancellationToken cancellationToken) =>
        SendAsync<T>(http, new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative)), cancellationToken);

    /// <summary>POSTs <paramref name="content"/> (none when null) to <paramref name="path"/> and reads the JSON answer.</summary>
    /// <exception cref="InvalidOperationException">When the service does not answer, refuses, or answers with no body.</exception>
    public static Task<T> PostAsync<T>(HttpClient http, string path, HttpContent? content, CancellationToken cancellationToken) =>
        SendAsync<T>(http, new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = content }, cancellationToken);

    private static async Task<T> SendAsync<T>(HttpClient http, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var sent = request;
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(sent, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new InvalidOperationException($"The service at {http.BaseAddress} does not answer ({e.Message}).", e);
        }

        using (response)
        {
            var path = sent.RequestUri?.OriginalString;
            if (!response.IsSuccessStatusCode)
            {
                var problem = await response.Content.ReadAsStringAsync(cancellationToken);
                throw new InvalidOperationException($"{http.BaseAddress} refused {path}: {(int)response.StatusCode} {problem}");
            }

            return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken)
                ?? throw new InvalidOperationException($"{http.BaseAddress} answered {path} with an empty body.");
        }
    }
}

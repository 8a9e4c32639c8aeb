using MobileAigc.Provenance.Credentials.Jumbf;

namespace MobileAigc.Provenance.Credentials.Reading;

/// <summary>
/// Resolves JUMBF URIs (<c>self#jumbf=/c2pa/{manifest}/c2pa.assertions/{label}</c>, or relative to the
/// manifest that holds the reference: <c>self#jumbf=c2pa.assertions/{label}</c>).
/// </summary>
public static class JumbfUri
{
    /// <summary>The superbox <paramref name="uri"/> names, or null when there is none.</summary>
    /// <param name="uri">The URI.</param>
    /// <param name="store">The manifest store.</param>
    /// <param name="manifest">The manifest relative URIs start from.</param>
    public static JumbfSuperBox? Resolve(string uri, JumbfSuperBox store, JumbfSuperBox manifest)
    {
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(manifest);
        var path = uri.StartsWith(HashedUri.SelfPrefix, StringComparison.Ordinal) ? uri[HashedUri.SelfPrefix.Length..] : uri;
        JumbfSuperBox? current = manifest;
        if (path.StartsWith('/'))
        {
            var parts = path[1..].Split('/');
            if (parts.Length == 0 || parts[0] != store.Label)
            {
                return null;
            }

            current = store;
            path = string.Join('/', parts[1..]);
        }

        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            current = current.FindChild(part);
            if (current is null)
            {
                return null;
            }
        }

        return current;
    }

    /// <summary>The manifest label of an absolute URI (<c>self#jumbf=/c2pa/{label}...</c>), or null.</summary>
    public static string? ManifestLabel(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var path = uri.StartsWith(HashedUri.SelfPrefix, StringComparison.Ordinal) ? uri[HashedUri.SelfPrefix.Length..] : uri;
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return path.StartsWith('/') && parts.Length >= 2 ? parts[1] : null;
    }
}

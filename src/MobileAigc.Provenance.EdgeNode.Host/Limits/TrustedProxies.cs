using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace MobileAigc.Provenance.EdgeNode.Host.Limits;

/// <summary>
/// <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> believed only from the proxies the operator names
/// (<see cref="EdgeNodeHostOptions.TrustedProxies"/>). The framework's middleware believes every sender when it
/// knows no proxy at all, so without a configured proxy it is not added and the headers are ignored.
/// </summary>
internal static class TrustedProxies
{
    /// <summary>Configures the forwarded-headers middleware to believe only the configured proxies' last entry.</summary>
    public static void AddTrustedProxies(this IServiceCollection services) =>
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<EdgeNodeHostOptions>>((forwarded, host) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            forwarded.ForwardLimit = 1;
            // The defaults trust loopback. The obsolete KnownNetworks is a list of its own that still holds
            // loopback and is still read: cleared as well.
            forwarded.KnownIPNetworks.Clear();
            forwarded.KnownProxies.Clear();
#pragma warning disable ASPDEPR005
            forwarded.KnownNetworks.Clear();
#pragma warning restore ASPDEPR005
            foreach (var proxy in host.Value.TrustedProxyAddresses)
            {
                forwarded.KnownProxies.Add(proxy);
            }
        });

    /// <summary>Adds the forwarded-headers middleware when, and only when, a proxy is configured.</summary>
    public static void UseForwardedHeadersFromTrustedProxies(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<EdgeNodeHostOptions>>().Value.TrustedProxies.Count > 0)
        {
            app.UseForwardedHeaders();
        }
    }
}

using Microsoft.AspNetCore.Http.Metadata;

namespace MobileAigc.Provenance.EdgeNode.Host.Limits;

/// <summary>A route's own request body limit (endpoint metadata the routing middleware applies before the body is read).</summary>
/// <param name="bytes">The largest body accepted on the route.</param>
public sealed class RequestBodyLimit(long bytes) : IRequestSizeLimitMetadata
{
    /// <inheritdoc />
    public long? MaxRequestBodySize => bytes;
}

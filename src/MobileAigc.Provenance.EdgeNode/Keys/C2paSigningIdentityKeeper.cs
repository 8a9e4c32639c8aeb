using MobileAigc.Provenance.Core.Eip712;
using Microsoft.Extensions.Logging;
using Nethereum.Signer;

namespace MobileAigc.Provenance.EdgeNode.Keys;

/// <summary>
/// Keeps the running node's <see cref="C2paSigningIdentity"/> current: every <see cref="CheckInterval"/> it renews a development
/// certificate that expires within the renewal window (<see cref="C2paSigningIdentityFiles.RenewAsync"/>) and warns, at most
/// once a day, of a provider's; <see cref="EnsureCanSign"/> refuses once the certificate in use has expired.
/// </summary>
/// <remarks>
/// Thread-safe: <see cref="Current"/> and <see cref="EnsureCanSign"/> may be called while a renewal runs; a caller keeps signing
/// with the identity it got (renewal shares the key). One renewal runs at a time. Owns the identity: disposes the latest.
/// </remarks>
public sealed partial class C2paSigningIdentityKeeper : IDisposable
{
    /// <summary>How often the running node looks at its certificate: hourly.</summary>
    public static readonly TimeSpan CheckInterval = TimeSpan.FromHours(1);

    private static readonly TimeSpan WarningInterval = TimeSpan.FromDays(1);
    private readonly C2paCredentialLocation _location;
    private readonly EthECKey _nodeKey;
    private readonly ContractDomain? _registryDomain;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _checking = new(1, 1);
    private readonly ITimer _timer;
    private C2paSigningIdentity _current;
    private DateTimeOffset? _lastWarning;
    private bool _disposed;

    /// <summary>A keeper of <paramref name="identity"/>, as opened from <paramref name="location"/>, checking it every <see cref="CheckInterval"/>.</summary>
    /// <param name="identity">The identity opened at start; the keeper owns it from now on.</param>
    /// <param name="location">Where its files are, and the renewal window.</param>
    /// <param name="nodeKey">The node key, which binds a renewed certificate.</param>
    /// <param name="registryDomain">The registry domain of the binding; <c>null</c> leaves a renewed certificate unbound.</param>
    /// <param name="time">The clock of the checks and of the timer.</param>
    /// <param name="logger">Where renewals, warnings and failed renewals are told.</param>
    public C2paSigningIdentityKeeper(
        C2paSigningIdentity identity, C2paCredentialLocation location, EthECKey nodeKey, ContractDomain? registryDomain, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(nodeKey);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _current = identity;
        _location = location;
        _nodeKey = nodeKey;
        _registryDomain = registryDomain;
        _time = time;
        _logger = logger;
        if (!identity.IsDevelopment && location.IsDue(identity.Certificate, time.GetUtcNow()))
        {
            // Opening warned already.
            _lastWarning = time.GetUtcNow();
        }

        _timer = time.CreateTimer(_ => _ = CheckInBackgroundAsync(), null, CheckInterval, CheckInterval);
    }

    /// <summary>The identity in use: the latest renewal.</summary>
    public C2paSigningIdentity Current => Volatile.Read(ref _current);

    /// <summary>The identity to sign with now.</summary>
    /// <exception cref="C2paSigningUnavailableException">When its certificate has expired: a provider's (never renewed by the node) or a development one whose renewal failed.</exception>
    public C2paSigningIdentity EnsureCanSign()
    {
        var identity = Current;
        if (new DateTimeOffset(identity.Certificate.NotAfter.ToUniversalTime()) > _time.GetUtcNow())
        {
            return identity;
        }

        throw new C2paSigningUnavailableException(identity.IsDevelopment
            ? $"The node's development C2PA signing certificate expired at {identity.Certificate.NotAfter.ToUniversalTime():u} and has not been renewed: " +
              "the node's log says why its renewal failed."
            : C2paSigningIdentityFiles.ProviderCertificateExpired(_location, identity.Certificate));
    }

    /// <summary>
    /// Renews a development certificate that expires within the window, or warns (at most once a day) of a provider's; the timer calls it
    /// every <see cref="CheckInterval"/>.
    /// </summary>
    /// <returns>True when the identity was renewed.</returns>
    /// <exception cref="InvalidOperationException">When a due renewal failed (the development CA has expired, its files are unreadable).</exception>
    public async Task<bool> CheckAsync(CancellationToken cancellationToken = default)
    {
        await _checking.WaitAsync(cancellationToken);
        try
        {
            var identity = Current;
            var now = _time.GetUtcNow();
            if (_disposed || !_location.IsDue(identity.Certificate, now))
            {
                return false;
            }

            if (!identity.IsDevelopment)
            {
                if (_lastWarning is not { } last || now - last >= WarningInterval)
                {
                    _lastWarning = now;
                    C2paSigningIdentityFiles.WarnIfProviderCertificateDue(_location, identity.Certificate, identity.Node, now, _logger);
                }

                return false;
            }

            var renewed = await C2paSigningIdentityFiles.RenewAsync(identity, _location, _nodeKey, _registryDomain, _time, _logger, cancellationToken);
            if (renewed is null)
            {
                return false;
            }

            Volatile.Write(ref _current, renewed);
            return true;
        }
        finally
        {
            _checking.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _timer.Dispose();
        _checking.Wait();
        try
        {
            if (!_disposed)
            {
                _disposed = true;
                Current.Dispose();
            }
        }
        finally
        {
            _checking.Release();
        }
    }

    private async Task CheckInBackgroundAsync()
    {
        try
        {
            await CheckAsync();
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException or FormatException or ArgumentException)
        {
            // Retried at the next check; signing goes on with the current certificate until it expires.
            LogRenewalFailed(_logger, e, Current.Node);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message =
        "Renewing the development C2PA signing certificate of node {Node} failed; the node retries hourly and refuses to sign once the certificate has expired.")]
    private static partial void LogRenewalFailed(ILogger logger, Exception exception, Core.Primitives.EvmAddress node);
}

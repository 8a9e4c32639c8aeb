using Xunit;

namespace MobileAigc.Provenance.Testing.C2pa;

/// <summary>
/// One <see cref="C2paSdk"/> process for a test class (<c>IClassFixture&lt;C2paSdkFixture&gt;</c>) or a collection:
/// started before its first test, ended after its last.
/// </summary>
public sealed class C2paSdkFixture : IAsyncLifetime
{
    private C2paSdk? _sdk;

    /// <summary>The running SDK.</summary>
    /// <exception cref="InvalidOperationException">Before xunit has called <see cref="InitializeAsync"/>.</exception>
    public C2paSdk Sdk => _sdk ?? throw new InvalidOperationException("The C2PA SDK fixture has not been initialized by xunit yet.");

    /// <summary>Starts the SDK's process (xunit calls this once).</summary>
    public async Task InitializeAsync() => _sdk = await C2paSdk.StartAsync();

    /// <summary>Ends the SDK's process (xunit calls this after the last test).</summary>
    public async Task DisposeAsync()
    {
        if (_sdk is not null)
        {
            await _sdk.DisposeAsync();
        }
    }
}

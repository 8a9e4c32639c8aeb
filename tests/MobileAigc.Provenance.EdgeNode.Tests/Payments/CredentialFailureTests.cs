using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Credentials.Signing;
using MobileAigc.Provenance.EdgeNode.ContentCredentials;
using MobileAigc.Provenance.EdgeNode.Keys;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MobileAigc.Provenance.EdgeNode.Tests.Payments;

/// <summary>
/// A paid image whose Content Credentials cannot be signed (the claim signer throws): the creator gets a clear ProblemDetails,
/// the accepted voucher is released and no record is kept. On a chain of its own, where the image model is priced.
/// </summary>
public sealed class CredentialFailureTests(PaymentChainFixture chain) : IClassFixture<PaymentChainFixture>, IAsyncLifetime
{
    private static readonly BigInteger Price = 700;
    private readonly TempDirectory _dir = new();
    private InProcessNode _factory = null!;
    private HttpClient _http = null!;
    private EvmAddress _node;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(_dir.File("passphrase"), "a long enough passphrase\n");
        _factory = new InProcessNode(_dir.Path, chain, services => services.AddSingleton<C2paClaimSignerFactory>(identity => new FailingSigner(identity.Chain)));
        _http = _factory.CreateClient();
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", EdgeNodeHost.ProviderKey(_dir.Path));
        _node = await chain.RegisterNodeAsync(await NodeKeyStore.LoadAsync(Path.Combine(_dir.Path, "node-keystore.json"), "a long enough passphrase"));
        await chain.Contracts.RegistryFor(chain.ModelOwner.Web3).UpdateTermsAsync(chain.ImageModel, Price, 0, active: true);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _factory.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task GenerateImage_SignerFailsAfterTheVoucherWasAccepted_Is503CredentialsUnavailable_ReleasesTheVoucher_AndKeepsNoRecord()
    {
        var creator = await chain.NewAccountAsync();
        var channel = await chain.OpenChannelAsync(creator, _node, chain.ImageModel, 10 * Price);
        var voucher = chain.Pay(creator.Key, channel, Price, 1);

        var first = await _http.PostAsJsonAsync(EdgeRoutes.GenerateImage, new GenerateImageRequest("a harbour", Width: 256, Height: 256, Payment: voucher));
        // The same voucher again: refused as stale had the first kept it, but it was released.
        var again = await _http.PostAsJsonAsync(EdgeRoutes.GenerateImage, new GenerateImageRequest("a harbour", Width: 256, Height: 256, Payment: voucher));

        foreach (var response in new[] { first, again })
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            var problem = (await response.Content.ReadFromJsonAsync<ProblemDetails>())!;
            Assert.Equal(GenerationProblemTypes.CredentialsUnavailable, problem.Type);
            Assert.Contains("voucher was released", problem.Detail, StringComparison.Ordinal);
            Assert.DoesNotContain(FailingSigner.Failure, problem.Detail, StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync(EdgeRoutes.Channel(channel))).StatusCode);
        var status = (await _http.GetFromJsonAsync<NodeStatus>(EdgeRoutes.Node))!;
        Assert.Equal(0, status.PendingRecords + status.DeliveredRecords + status.HeldRecords);
    }

    [Fact]
    public async Task GenerateImage_CertificateExpiredAndNotRenewable_Is503BeforeTheVoucherIsLookedAt()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.File("passphrase"), "a long enough passphrase\n");
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        // A two-day development certificate, renewed from its last day: the test needs to move the node's clock three days only.
        await using var factory = new InProcessNode(dir.Path, chain, services => services.AddSingleton<TimeProvider>(time),
            ("EdgeNode__Credentials__DevelopmentCertificateDays", "2"), ("EdgeNode__Credentials__CertificateRenewalDays", "1"));
        using var http = factory.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", EdgeNodeHost.ProviderKey(dir.Path));
        var node = await chain.RegisterNodeAsync(await NodeKeyStore.LoadAsync(Path.Combine(dir.Path, "node-keystore.json"), "a long enough passphrase"));
        var creator = await chain.NewAccountAsync();
        var channel = await chain.OpenChannelAsync(creator, node, chain.ImageModel, 10 * Price);
        // The development CA is gone, so the running node cannot renew its certificate when it nears its end.
        Directory.Delete(Path.Combine(dir.Path, "c2pa", C2paSigningIdentityFiles.DevelopmentCaFolder), recursive: true);
        time.Advance(TimeSpan.FromDays(3));

        var response = await http.PostAsJsonAsync(EdgeRoutes.GenerateImage,
            new GenerateImageRequest("a harbour", Width: 256, Height: 256, Payment: chain.Pay(creator.Key, channel, Price, 1)));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<ProblemDetails>())!;
        Assert.Equal(GenerationProblemTypes.CredentialsUnavailable, problem.Type);
        Assert.EndsWith("Nothing was charged.", problem.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(dir.Path, problem.Detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(EdgeRoutes.Channel(channel))).StatusCode);
    }

    /// <summary>A claim signer whose key store is down: it names the chain but every signature fails.</summary>
    private sealed class FailingSigner(IReadOnlyList<X509Certificate2> chain) : ICredentialSigner
    {
        public const string Failure = "the key store is unreachable";

        public CredentialSigningAlgorithm Algorithm => CredentialSigningAlgorithm.Es256;

        public IReadOnlyList<X509Certificate2> Chain => chain;

        public byte[] SignHash(ReadOnlySpan<byte> sha256Digest) => throw new CryptographicException(Failure);
    }

    /// <summary>The real edge node host in process on <paramref name="dataDirectory"/>, paid through <paramref name="chain"/>, with services replaced by <paramref name="replace"/>.</summary>
    private sealed class InProcessNode(string dataDirectory, PaymentChainFixture chain, Action<IServiceCollection> replace, params (string Name, string Value)[] settings)
        : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("EdgeNode:DataDirectory", dataDirectory);
            builder.UseSetting("EdgeNode:PassphraseFile", Path.Combine(dataDirectory, "passphrase"));
            builder.UseSetting("EdgeNode:ModelsDirectory", RepositoryPaths.Models);
            builder.UseSetting("EdgeNode:ProvenanceLedger", EdgeNodeHost.LedgerContract);
            builder.UseSetting("Logging:LogLevel:Default", "Critical");
            foreach (var (name, value) in chain.PaymentSettings([("Payments__SettlementEnabled", "false"), .. settings]))
            {
                builder.UseSetting(name.Replace("__", ":", StringComparison.Ordinal), value);
            }

            builder.ConfigureTestServices(replace);
        }
    }
}

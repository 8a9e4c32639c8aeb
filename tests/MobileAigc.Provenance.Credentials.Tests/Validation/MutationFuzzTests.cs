using System.Buffers.Binary;
using System.Diagnostics;
using MobileAigc.Provenance.Credentials.Containers;
using MobileAigc.Provenance.Credentials.Jumbf;
using MobileAigc.Provenance.Credentials.Reading;
using MobileAigc.Provenance.Credentials.Tests.Support;
using MobileAigc.Provenance.Credentials.Validation;

namespace MobileAigc.Provenance.Credentials.Tests.Validation;

/// <summary>
/// Deterministic random mutations (seeded) of a signed JPEG and of its manifest store: no exception other
/// than <see cref="JumbfException"/> may escape the containers, the reader or the validator.
/// </summary>
public sealed class MutationFuzzTests
{
    private const int Mutations = 2000;

    [Fact]
    public void ValidateFile_SeededMutations_OnlyTypedErrorsEscape()
    {
        using var signer = TestSigner.Create();
        var file = TestManifests.SignedAsset(AssetContainers.Strip(Fixtures.C2paRs("no_manifest.jpg")), signer).File;
        var range = AssetContainers.Locate(file)!.Ranges[0];
        var store = AssetContainers.Locate(file)!.ManifestStore.ToArray();
        var validator = new ManifestValidator();
        var random = new Random(20261206);
        var clock = Stopwatch.StartNew();
        var outcomes = new Dictionary<string, int>();

        for (var i = 0; i < Mutations; i++)
        {
            var onStore = i % 2 == 0;
            var mutated = Mutate(onStore ? store : file, random, onStore ? 0 : (int)range.Start, onStore ? store.Length : (int)range.End);
            string outcome;
            try
            {
                var report = onStore
                    ? validator.Validate(ManifestStoreReader.Read(mutated), file)
                    : validator.ValidateFile(mutated);
                outcome = report.State?.ToString() ?? "no store";
            }
            catch (JumbfException e)
            {
                outcome = e.Reason.ToString();
            }
            catch (Exception e)
            {
                Assert.Fail($"mutation {i} ({(onStore ? "store" : "file")}) escaped as {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
                throw;
            }

            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"{Mutations} mutations took {clock.Elapsed}");
        Assert.True(outcomes.Count >= 4, "the mutations reached too few outcomes: " + string.Join(", ", outcomes));
    }

    [Fact]
    public void ValidateFile_SeededMutationsOfATimeStampToken_NeverThrowNorTouchTheClaimSignature()
    {
        using var signer = TestSigner.Create();
        using var authority = TestTimeStampAuthority.Create();
        byte[]? token = null;
        var file = TestManifests.SignedAsset(TestImages.Png(), signer, new TestManifests.Options
        {
            Sign = claim =>
            {
                var cose = signer.Sign(claim);
                token = authority.Token(TestTimeStampAuthority.ToBeStamped(cose, claim, v2: true), DateTimeOffset.UtcNow);
                return TestTimeStampAuthority.WithHeader(cose, "sigTst2", TestTimeStampAuthority.Container(token));
            },
        }).File;
        var start = file.AsSpan().IndexOf(token);
        Assert.True(start > 0, "the token is not in the file");
        var validator = new ManifestValidator();
        var random = new Random(20261207);
        var outcomes = new Dictionary<string, int>();

        // The token is in the unprotected header: whatever its bytes, the claim signature and the data hash stand.
        for (var i = 0; i < Mutations / 4; i++)
        {
            var mutated = (byte[])file.Clone();
            for (var k = random.Next(1, 9); k > 0; k--)
            {
                // Lengths stay: bit flips, random bytes and lying DER lengths inside the token.
                var at = random.Next(start, start + token!.Length);
                mutated[at] = random.Next(3) switch { 0 => (byte)(mutated[at] ^ (1 << random.Next(8))), 1 => (byte)random.Next(256), _ => 0x84 };
            }

            var result = validator.ValidateFile(mutated).ActiveManifest!;
            Assert.Contains(result.Success, status => status.Code == ValidationStatusCodes.ClaimSignatureValidated);
            Assert.Equal([ValidationStatusCodes.SigningCredentialUntrusted], result.FailureCodes);
            var outcome = string.Join(" ", result.Success.Concat(result.Informational).Select(status => status.Code).Where(code => code.StartsWith("timeStamp.", StringComparison.Ordinal)));
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        Assert.True(outcomes.Count >= 2, "the mutations reached too few outcomes: " + string.Join(", ", outcomes));
    }

    private static byte[] Mutate(byte[] source, Random random, int focusStart, int focusEnd)
    {
        var bytes = (byte[])source.Clone();
        var at = random.Next(focusStart, focusEnd);
        switch (random.Next(6))
        {
            case 0:
                bytes[at] ^= (byte)(1 << random.Next(8));
                return bytes;
            case 1:
                for (var k = 0; k < 8; k++)
                {
                    bytes[random.Next(focusStart, focusEnd)] = (byte)random.Next(256);
                }

                return bytes;
            case 2:
                var lie = random.Next(4) switch { 0 => 0u, 1 => 1u, 2 => 0x8000_0000u, _ => (uint)random.Next() };
                if (at + 4 <= bytes.Length)
                {
                    BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(at), lie);
                }

                return bytes;
            case 3:
                return bytes[..at];
            case 4:
                var cut = Math.Min(random.Next(1, 64), bytes.Length - at);
                return [.. bytes.AsSpan(0, at), .. bytes.AsSpan(at + cut)];
            default:
                var inserted = new byte[random.Next(1, 16)];
                random.NextBytes(inserted);
                return [.. bytes.AsSpan(0, at), .. inserted, .. bytes.AsSpan(at)];
        }
    }
}

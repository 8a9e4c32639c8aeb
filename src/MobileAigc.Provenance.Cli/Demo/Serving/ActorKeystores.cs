using System.Security.Cryptography;
using System.Text;
using MobileAigc.Provenance.Cli.Common;
using MobileAigc.Provenance.Cli.Demo.LocalNetwork;
using MobileAigc.Provenance.Core.Secrets;

namespace MobileAigc.Provenance.Cli.Demo.Serving;

/// <summary>One actor's key as the CLI's commands take it: an encrypted keystore and the file holding its passphrase.</summary>
/// <param name="Role">Who holds it (<c>creator</c>, <c>provider</c>, <c>model owner</c>, <c>operator</c>).</param>
/// <param name="Actor">The actor.</param>
/// <param name="Keystore">The keystore (Web3 Secret Storage, mode 0600).</param>
/// <param name="PassphraseFile">The passphrase file (mode 0600).</param>
internal sealed record ActorKeystore(string Role, Actor Actor, string Keystore, string PassphraseFile);

/// <summary>The four actors' keystores in <c>keys/</c> of the demo's output, so that a second terminal can act as any of them.</summary>
/// <param name="Creator">The creator's (opens channels, signs requests).</param>
/// <param name="Provider">The edge node's operator's.</param>
/// <param name="ModelOwner">The model owner's.</param>
/// <param name="Operator">The ledger operator's: deployer, ledger contract owner and anchorer.</param>
internal sealed record ActorKeystores(ActorKeystore Creator, ActorKeystore Provider, ActorKeystore ModelOwner, ActorKeystore Operator)
{
    /// <summary>Every keystore, creator first.</summary>
    public IEnumerable<ActorKeystore> All => [Creator, Provider, ModelOwner, Operator];

    /// <summary>
    /// Writes each actor's key to <c>&lt;role&gt;.keystore.json</c> in <paramref name="directory"/> (an owner-only folder,
    /// emptied first: the keys of an earlier run belong to a chain that is gone), under a random passphrase kept beside it.
    /// Light scrypt parameters: these are throwaway keys of a local chain, opened by every command.
    /// </summary>
    public static async Task<ActorKeystores> WriteAsync(string directory, Actors actors, CancellationToken cancellationToken)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        SecretFile.CreateFolder(directory, restrict: true);
        async Task<ActorKeystore> WriteOneAsync(string role, Actor actor)
        {
            var name = role.Replace(' ', '-');
            var keystore = Path.Combine(directory, $"{name}.keystore.json");
            var passphraseFile = Path.Combine(directory, $"{name}.passphrase");
            var passphrase = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
            await SecretFile.CreateAsync(passphraseFile, Encoding.ASCII.GetBytes(passphrase), cancellationToken);
            await KeystoreFile.CreateAsync(keystore, actor.Key, passphrase, lightKdf: true, cancellationToken);
            return new ActorKeystore(role, actor, keystore, passphraseFile);
        }

        return new ActorKeystores(
            await WriteOneAsync("creator", actors.Creator), await WriteOneAsync("provider", actors.Provider),
            await WriteOneAsync("model owner", actors.ModelOwner), await WriteOneAsync("operator", actors.LedgerOperator));
    }
}

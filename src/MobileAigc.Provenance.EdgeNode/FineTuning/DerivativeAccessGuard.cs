using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.EdgeNode.Generation;
using MobileAigc.Provenance.EdgeNode.Payments;
using MobileAigc.Provenance.EdgeNode.Provenance;

namespace MobileAigc.Provenance.EdgeNode.FineTuning;

/// <summary>
/// Who may generate with a private derivative: only its owner. With payments on, the owner is the model's owner in
/// <c>ModelRegistry</c> now (read through the node's chain reader: an owner who transfers the model transfers the right),
/// and the request's owner is the paying channel's creator (whose signature the payment gate checks next), or the creator
/// who signed the request when it carries no voucher. With payments off, the owner is the one the derivative was made for
/// and the request must be signed by it (<see cref="CreatorAuthenticator"/>). A public derivative and every given model
/// serve anyone. Checked before any voucher is accepted: a refusal charges nothing.
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class DerivativeAccessGuard(PaymentChainReader? chain)
{
    /// <summary>Why <paramref name="model"/> is refused to this request; null when it may be served.</summary>
    /// <param name="model">The requested model.</param>
    /// <param name="voucher">The request's voucher; null when it carries none.</param>
    /// <param name="creator">The creator claim <see cref="CreatorAuthenticator.Check"/> decided; null when the payer is to be named.</param>
    public async Task<PaymentRefusal?> RefusalAsync(ServedModel model, VoucherPayment? voucher, CreatorClaim? creator)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Derivative is not { IsPrivate: true } derivative)
        {
            return null;
        }

        var signer = creator is { Private: false, Creator: { } address, Proof.Request: not null } ? address : (Core.Primitives.EvmAddress?)null;
        try
        {
            if (chain is null)
            {
                return signer is { } s && s == derivative.Owner ? null : Refuse(
                    $"Model '{model.Name}' is private to {derivative.Owner?.ToString() ?? "its owner"}: sign the request as its owner (creator.signature).");
            }

            var owner = await chain.GetModelOwnerAsync(model.ModelHash);
            if (owner is null)
            {
                // Not registered: the payment gate refuses it as such, with nothing charged.
                return null;
            }

            if (voucher is not null)
            {
                var channel = await chain.GetChannelAsync(voucher.ChannelId);
                return channel is null || channel.Creator == owner ? null : Refuse(
                    $"Model '{model.Name}' is private to its owner {owner}: channel {channel.ChannelId} is {channel.Creator}'s.");
            }

            return signer == owner ? null : Refuse(
                $"Model '{model.Name}' is private to its owner {owner}: pay with the owner's channel or sign the request as the owner.");
        }
        catch (ChainUnavailableException e)
        {
            return new PaymentRefusal(PaymentProblemTypes.ChainUnavailable, 503, "Chain unavailable", $"{e.Message} Nothing was charged; retry later.", Cause: e);
        }
    }

    private static PaymentRefusal Refuse(string detail) =>
        new(FineTuneProblemTypes.PrivateModel, 403, "Private model", detail + " Nothing was generated or charged.");
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MobileAigc.Provenance.Ledger.Chain;

namespace MobileAigc.Provenance.Ledger.Verification;

/// <summary>
/// Registers content verification: options, the watermark key ring, the text watermark detector, the model names, the
/// perceptual hash indexes (ours and PDQ's) and their refresher, the upload reader, the tracers (in the order they are
/// tried), the batch root check and its kept roots, the recovered signers, the record attestor, the Content Credentials inspection (<see cref="CredentialsOptions"/>, bound by the host), <see cref="ContentVerifier"/> and <see cref="SoftBindingLookup"/>.
/// </summary>
public static class VerificationServiceCollectionExtensions
{
    /// <summary>
    /// Adds verification. Needs <c>IDbContextFactory&lt;LedgerDbContext&gt;</c>, <c>LedgerChain</c> and
    /// <see cref="TimeProvider"/> registered by the host.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Binds the options, e.g. <c>o =&gt; o.BindConfiguration(VerificationOptions.Section)</c>.</param>
    public static IServiceCollection AddVerification(this IServiceCollection services, Action<OptionsBuilder<VerificationOptions>> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        var options = services.AddOptions<VerificationOptions>();
        configure(options);
        options.ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<VerificationOptions>, VerificationOptionsValidator>();
        services.AddSingleton(sp => WatermarkKeyRing.Load(
            sp.GetRequiredService<IOptions<VerificationOptions>>().Value.WatermarkEnrollmentFiles,
            [.. sp.GetRequiredService<LedgerChain>().Deployments.Select(d => d.Domain)]));
        services.AddSingleton(sp => new TextWatermarkDetector(
            sp.GetRequiredService<WatermarkKeyRing>().Keys,
            TextWatermarkDetector.LoadModels(sp.GetRequiredService<IOptions<VerificationOptions>>().Value.TextModelManifests)));
        services.AddSingleton(sp => ModelNames.Load(
            sp.GetRequiredService<IOptions<VerificationOptions>>().Value.ModelManifests, sp.GetRequiredService<TextWatermarkDetector>().Models));
        services.AddSingleton<PerceptualHashIndex>();
        services.AddSingleton<PerceptualHashIndexSync>();
        services.AddSingleton<HashIndexSync>(sp => sp.GetRequiredService<PerceptualHashIndexSync>());
        services.AddSingleton<PdqIndexSync>();
        services.AddSingleton<HashIndexSync>(sp => sp.GetRequiredService<PdqIndexSync>());
        services.AddHostedService<PerceptualHashIndexRefresher>();
        services.AddSingleton<UploadReader>();
        services.AddContentTracer<ContentHashTracer>();
        services.AddContentTracer<ImageWatermarkTracer>();
        services.AddContentTracer<PerceptualHashTracer>();
        services.AddContentTracer<PdqTracer>();
        services.AddContentTracer<TextWatermarkTracer>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new KeptRootCache(sp.GetRequiredService<IOptions<VerificationOptions>>().Value.KeptRootCapacity));
        services.AddSingleton<AnchoredRootCheck>();
        services.AddSingleton(sp => new RecoveredSignerCache(sp.GetRequiredService<IOptions<VerificationOptions>>().Value.RecoveredSignerCapacity));
        services.AddSingleton<RecordAttestor>();
        services.AddSingleton<RecordClaimCheck>();
        services.AddOptions<CredentialsOptions>()
            .Validate(TrustAnchorsReadable, $"{CredentialsOptions.Section}:TrustAnchors: every file must exist and hold PEM certificates.")
            .ValidateOnStart();
        services.AddSingleton(sp => new CredentialsInspection(
            CredentialsInspection.LoadTrust(sp.GetRequiredService<IOptions<CredentialsOptions>>().Value),
            CredentialsInspection.RegistryDomain(sp.GetRequiredService<LedgerChain>().Options),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ContentVerifier>();
        services.AddSingleton<SoftBindingLookup>();
        return services;
    }

    /// <summary>
    /// Adds a tracer after those already added: verification tries them in the order they were added.
    /// The tracer is also registered as itself, one instance for both.
    /// </summary>
    /// <typeparam name="TTracer">The tracer.</typeparam>
    /// <param name="services">The services.</param>
    public static IServiceCollection AddContentTracer<TTracer>(this IServiceCollection services)
        where TTracer : class, IContentTracer
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<TTracer>();
        services.AddSingleton<IContentTracer>(sp => sp.GetRequiredService<TTracer>());
        return services;
    }

    private static bool TrustAnchorsReadable(CredentialsOptions options)
    {
        try
        {
            _ = CredentialsInspection.LoadTrust(options);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}

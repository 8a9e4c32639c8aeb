using MobileAigc.Provenance.LedgerLoad;
using MobileAigc.Provenance.LedgerLoad.Uploads;

if (args is ["uploads", .. var uploadArgs])
{
    UploadSettings uploadSettings;
    try
    {
        uploadSettings = UploadSettings.Parse(uploadArgs);
    }
    catch (ArgumentException e)
    {
        await Console.Error.WriteLineAsync(e.Message);
        return 2;
    }

    return await UploadLoadRun.RunAsync(uploadSettings, Console.Out);
}

if (args.Length > 0 && args[0] == SustainedAnchoringSettings.Mode)
{
    SustainedAnchoringSettings sustained;
    try
    {
        sustained = SustainedAnchoringSettings.Parse(args[1..]);
    }
    catch (ArgumentException e)
    {
        await Console.Error.WriteLineAsync(e.Message);
        return 2;
    }

    using var stop = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        stop.Cancel();
    };
    return await SustainedAnchoringRun.RunAsync(sustained, Console.Out, stop.Token);
}

LoadSettings settings;
try
{
    settings = LoadSettings.Parse(args);
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync(e.Message);
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
return settings.ProfileIngest
    ? await MobileAigc.Provenance.LedgerLoad.Diagnostics.IngestorProfile.RunAsync(settings, Console.Out, cancel.Token)
    : await LedgerLoadRun.RunAsync(settings, Console.Out, cancel.Token);

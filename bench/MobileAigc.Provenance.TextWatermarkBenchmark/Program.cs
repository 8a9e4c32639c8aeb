using MobileAigc.Provenance.TextWatermarkBenchmark;

// `false-positives ...` measures the detector on texts without the watermark; `edits ...` detection after word edits;
// anything else, detection on generations.
return args switch
{
    ["false-positives", .. var rest] => await FalsePositiveBenchmark.RunAsync(rest),
    ["edits", .. var rest] => await EditRobustnessBenchmark.RunAsync(rest),
    _ => await TextWatermarkBenchmark.RunAsync(args),
};

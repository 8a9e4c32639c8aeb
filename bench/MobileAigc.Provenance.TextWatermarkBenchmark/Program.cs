using MobileAigc.Provenance.TextWatermarkBenchmark;

// `false-positives ...` measures the detector on texts without the watermark; anything else, detection on generations.
return args is ["false-positives", .. var rest]
    ? await FalsePositiveBenchmark.RunAsync(rest)
    : await TextWatermarkBenchmark.RunAsync(args);

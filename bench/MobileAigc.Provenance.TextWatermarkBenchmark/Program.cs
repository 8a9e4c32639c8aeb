using MobileAigc.Provenance.TextWatermarkBenchmark;

return await TextWatermarkBenchmark.RunAsync(args);

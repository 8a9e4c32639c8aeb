using MobileAigc.Provenance.ModelBuilder;

return ModelBuilderCommand.Run(args);

using MeTAI.Cli;

return CliApp.Run(args);

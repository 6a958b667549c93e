using MeTAI.Cli;

// The control loop's verbs run in a process with a small gen0 budget (ControllerProcess); everything else runs here.
return ControllerProcess.RunInTunedProcess(args) ?? CliApp.Run(args);

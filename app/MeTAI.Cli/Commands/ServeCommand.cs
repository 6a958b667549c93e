using System.CommandLine;
using System.Globalization;
using MeTAI.Cli.Commands.DicomFiles;
using MeTAI.Dicom.Network;
using MeTAI.Service.Hosting;

namespace MeTAI.Cli.Commands;

/// <summary>
/// <c>metai serve [--urls http://127.0.0.1:5080] [--data-dir DIR] [--controller none|sim|mqtt://host:port]
/// [--teleop-key FILE [--teleop-master ID]] [--api-keys-file FILE] [--dicom-port P [--dicom-aet AET] [--dicom-allow AET]…]</c>: the HTTP API and web interface
/// (app/MeTAI.Service; docs/service.md) until Ctrl+C, and with <c>--dicom-port</c> a DICOM storage SCP whose
/// associations become uploads.
/// API keys come from <c>METAI_API_KEYS</c> or the keys file — none are built in, and without one every API call
/// answers 401. Any other service setting can follow as <c>--Section:Key=value</c>.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls") { Description = "Addresses to listen on", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var dataDir = new Option<string?>("--data-dir") { Description = "Data directory: job database, uploads, plan outputs (default out/service-data)" };
        var controller = new Option<string>("--controller") { Description = "Controller page source: none, sim (a simulated rig) or mqtt://host:port (observer; password in METAI_MQTT_PASSWORD)", DefaultValueFactory = _ => "none" };
        var teleopKey = new Option<string?>("--teleop-key") { Description = "Key file of the browser console's short-lived master credentials (created if missing); start the controller with the same --teleop-key" };
        var teleopMaster = new Option<string?>("--teleop-master") { Description = "Master ID the console's credentials are for: the controller's --master (default master1)" };
        var keysFile = new Option<string?>("--api-keys-file") { Description = "File with one API key per line (also METAI_API_KEYS, comma-separated)" };
        var seconds = new Option<double>("--seconds") { Description = "Stop after this many seconds (0: until Ctrl+C)" };
        var dicomPort = new Option<int?>("--dicom-port") { Description = "Also receive uploads by DICOM: a C-STORE SCP on this port, one upload per association" };
        var dicomAet = new Option<string?>("--dicom-aet") { Description = "The DICOM listener's AE title (default METAI)" };
        var dicomAllow = new Option<string[]>("--dicom-allow") { Description = "A calling AE title the DICOM listener accepts (repeatable; default: any)" };
        var command = new Command("serve", "Run the HTTP API and web interface (plans, uploads, controller status).")
        {
            urls, dataDir, controller, teleopKey, teleopMaster, keysFile, seconds, dicomPort, dicomAet, dicomAllow,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(parse => CommandErrors.Guard(parse.InvocationConfiguration.Error, () =>
        {
            var args = new List<string> { "--urls", parse.GetValue(urls)! };
            if (parse.GetValue(dataDir) is { } d)
            {
                args.Add($"--Service:DataDirectory={Path.GetFullPath(d)}");
            }

            string c = parse.GetValue(controller)!;
            if (c.StartsWith("mqtt://", StringComparison.Ordinal) || c.StartsWith("mqtts://", StringComparison.Ordinal))
            {
                args.Add("--Controller:Mode=mqtt");
                args.Add($"--Controller:Broker={c}");
            }
            else if (c is "none" or "sim")
            {
                args.Add($"--Controller:Mode={c}");
            }
            else
            {
                throw new ArgumentException($"--controller '{c}' is not none, sim, mqtt://host:port or mqtts://host:port.");
            }

            if (parse.GetValue(teleopKey) is { } tk)
            {
                args.Add($"--Controller:TeleopKeyFile={Path.GetFullPath(tk)}");
            }

            if (parse.GetValue(teleopMaster) is { } tm)
            {
                args.Add($"--Controller:TeleopMaster={tm}");
            }

            if (parse.GetValue(keysFile) is { } k)
            {
                args.Add($"--Service:ApiKeysFile={Path.GetFullPath(k)}");
            }

            if (parse.GetValue(dicomPort) is { } p)
            {
                args.Add(string.Create(CultureInfo.InvariantCulture, $"--Service:DicomPort={DicomNetworkCli.Port(p, "--dicom-port")}"));
            }

            if (parse.GetValue(dicomAet) is { } ae)
            {
                args.Add($"--Service:DicomAeTitle={AeTitle.Check(ae, "--dicom-aet")}");
            }

            List<string> allowed = DicomNetworkCli.AeTitles(parse.GetValue(dicomAllow), "--dicom-allow");
            args.AddRange(allowed.Select((a, i) => string.Create(CultureInfo.InvariantCulture, $"--Service:DicomAllowedCallingAeTitles:{i}={a}")));
            args.AddRange(parse.UnmatchedTokens);
            using var app = ServiceHost.Build([.. args]);
            double s = parse.GetValue(seconds);
            if (s > 0)
            {
                app.StartAsync().GetAwaiter().GetResult();
                // SIGTERM and Ctrl+C stop the host's lifetime; honour them before the time is up.
                app.Lifetime.ApplicationStopping.WaitHandle.WaitOne(TimeSpan.FromSeconds(s));
                app.StopAsync().GetAwaiter().GetResult();
            }
            else
            {
                app.Run();
            }

            return 0;
        }));
        return command;
    }
}

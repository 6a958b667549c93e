using MeTAI.Core.IO;
using MeTAI.Robotics.Kinematics;
using MeTAI.Robotics.Teleoperation;
using MeTAI.Robotics.Transport;
using MeTAI.Service.Controller;
using MeTAI.Simulation;
using Microsoft.Extensions.Options;

namespace MeTAI.Service.Teleop;

/// <summary>
/// Issues and checks the browser console's master credentials (<see cref="MasterToken"/>) with the key file named by
/// <c>Controller:TeleopKeyFile</c>, for the master <c>Controller:TeleopMaster</c> of the controller the service follows.
/// </summary>
public sealed class TeleopIssuer
{
    /// <summary>The master the simulated rig's controller follows.</summary>
    public const string SimMaster = "master1";

    private readonly ControllerMonitorOptions _options;
    private readonly ControllerMonitor _monitor;
    private readonly TimeProvider _time;
    private readonly byte[]? _key;
    private readonly string? _keyError;
    private readonly double[] _masterOrientation;

    /// <summary>Loads (or creates) the key file when one is configured; a bad file makes every request say why.</summary>
    public TeleopIssuer(IOptions<ControllerMonitorOptions> options, ControllerMonitor monitor, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _monitor = monitor;
        _time = time;
        if (!MasterToken.IsValidMasterId(_options.TeleopMaster))
        {
            throw new InvalidOperationException($"Controller:TeleopMaster '{_options.TeleopMaster}' is not 1-64 letters, digits, '-', '_' or '.'.");
        }

        if (_options.TeleopCredentialSeconds is < 10 or > 3600)
        {
            throw new InvalidOperationException($"Controller:TeleopCredentialSeconds {_options.TeleopCredentialSeconds} is not 10-3600.");
        }

        if (_options.TeleopKeyFile is { } path)
        {
            try
            {
                _key = MasterTokenKey.LoadOrCreate(path);
            }
            catch (Exception ex) when (ex is IOException or FormatException or UnauthorizedAccessException)
            {
                _keyError = $"The teleoperation key file cannot be used: {ex.Message}";
            }
        }

        RobotModel robot = RobotConfigJson.Load(_options.RobotFile ?? ConfigFiles.PathOf("robots", "metai-arm6.json"));
        MeTAI.Core.Geometry.Quat q = SimulatedRig.MasterHomeFor(robot, new TeleopOptions()).Orientation;
        _masterOrientation = [q.W, q.X, q.Y, q.Z];
    }

    /// <summary>Why no credential can be issued now, or null when one can.</summary>
    public string? Unavailable()
    {
        if (_keyError is not null)
        {
            return _keyError;
        }

        if (_key is null)
        {
            return "Teleoperation from the browser is off: start the service with --teleop-key FILE and the controller (metai control) with the same --teleop-key.";
        }

        return _monitor.Mode switch
        {
            "mqtt" when _monitor.BrokerAddress is not null && _monitor.Topics is not null => null,
            "sim" when _options.TeleopMaster != SimMaster => $"The simulated rig's controller follows master '{SimMaster}': set Controller:TeleopMaster to it (or leave it at its default).",
            "sim" when _monitor.BrokerAddress is not null && _monitor.Topics is not null => null,
            _ => "No controller is configured (start the service with --controller mqtt://host:port).",
        };
    }

    /// <summary>A fresh credential for <paramref name="user"/>; call only when <see cref="Unavailable"/> is null.</summary>
    public TeleopCredential Issue(string user)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        if (Unavailable() is { } why)
        {
            throw new InvalidOperationException(why);
        }

        MqttTopics topics = _monitor.Topics!;
        string master = _options.TeleopMaster;
        DateTimeOffset now = _time.GetUtcNow();
        DateTimeOffset expires = now.AddSeconds(_options.TeleopCredentialSeconds);
        string token = MasterToken.Issue(_key!, master, user, now, expires);
        return new TeleopCredential
        {
            Robot = topics.Robot,
            MasterId = master,
            Password = token,
            ExpiresUtc = expires,
            WebSocketUrl = $"{TeleopApi.RelayPath}?master={Uri.EscapeDataString(master)}&token={Uri.EscapeDataString(token)}",
            Topics = new TeleopTopics(topics.MasterPose(master), topics.MasterHeartbeat(master), topics.EStop, topics.MasterForce(master), topics.State, topics.ControllerHeartbeat),
            MasterOrientation = _masterOrientation,
            MaxForceN = new TeleopOptions().MaxForceN,
        };
    }

    /// <summary>Checks a credential presented to the relay (the broker checks it again at CONNECT).</summary>
    public bool Verify(string? master, string? token, out string issuedTo, out string reason)
    {
        issuedTo = "";
        if (_key is null)
        {
            reason = "teleoperation is off";
            return false;
        }

        if (master != _options.TeleopMaster)
        {
            reason = "not this service's console master";
            return false;
        }

        return MasterToken.TryVerify(_key, master, token, _time.GetUtcNow(), out issuedTo, out reason);
    }
}

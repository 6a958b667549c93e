using System.Text.Json.Serialization;
using MeTAI.Dosimetry.Engines;
using MeTAI.Service.Audit;
using MeTAI.Service.Controller;
using MeTAI.Service.Jobs;
using MeTAI.Service.Plans;
using MeTAI.Service.Rehearsals;
using MeTAI.Service.SharedSessions;
using MeTAI.Service.Teleop;
using MeTAI.Service.Training;
using MeTAI.Service.Uploads;
using MeTAI.Service.Users;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace MeTAI.Service.Hosting;

/// <summary>
/// Builds the service: configuration, API-key authentication on every <c>/api</c> route, problem details, the SQLite
/// job store and plan worker, uploads (by HTTP, and by DICOM when a port is set), the controller monitor and the static web interface. <c>Program.cs</c> and
/// <c>metai serve</c> both start it through here.
/// </summary>
public static partial class ServiceHost
{
    /// <summary>Registers the service's parts on <paramref name="builder"/>.</summary>
    public static WebApplicationBuilder AddMetaiService(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        IServiceCollection s = builder.Services;
        s.AddOptions<ServiceOptions>().Bind(builder.Configuration.GetSection(ServiceOptions.Section));
        s.AddOptions<ControllerMonitorOptions>().Bind(builder.Configuration.GetSection(ControllerMonitorOptions.Section));
        s.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase));
            // The web defaults read "5" as 5: a number must be sent as a JSON number, or the request is refused.
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });
        s.AddProblemDetails();
        s.AddExceptionHandler<BadRequestExceptionHandler>();
        s.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        s.AddSingleton(TimeProvider.System);
        s.AddSingleton(sp => new ApiKeys(sp.GetRequiredService<IOptions<ServiceOptions>>().Value, Environment.GetEnvironmentVariable(ApiKeys.EnvironmentVariable)));
        s.AddSingleton(sp => new ServicePaths(sp.GetRequiredService<IOptions<ServiceOptions>>().Value.DataDirectory));
        s.AddSingleton(sp => new UserStore(sp.GetRequiredService<ServicePaths>().UsersDatabase));
        s.AddSingleton<PhiAudit>();
        builder.AddMetaiIdentity();
        s.AddSingleton(sp => new JobStore(sp.GetRequiredService<ServicePaths>().Database));
        s.AddSingleton<PlanJobs>();
        s.AddSingleton<ProtocolCatalog>(_ => new ProtocolCatalog());
        s.AddSingleton<PlanSlices>();
        s.AddSingleton<PlanApproval>();
        s.AddSingleton<UploadCatalog>();
        s.AddSingleton<UploadLimiter>();
        s.AddSingleton<UploadIntake>();
        s.AddSingleton<IPlanRunner>(sp => new PlannerRunner(DeviceKindParser.Parse(sp.GetRequiredService<IOptions<ServiceOptions>>().Value.Device)));
        s.AddSingleton(sp => new SecondCheckRunner(DeviceKindParser.Parse(sp.GetRequiredService<IOptions<ServiceOptions>>().Value.Device), sp.GetRequiredService<IOptions<ServiceOptions>>().Value));
        s.AddSingleton<Rehearsals.RehearsalRunner>();
        s.AddHostedService<PlanWorker>();
        s.AddSingleton<RetentionService>();
        s.AddHostedService(sp => sp.GetRequiredService<RetentionService>());
        s.AddSingleton<ControllerMonitor>();
        s.AddHostedService(sp => sp.GetRequiredService<ControllerMonitor>());
        s.AddSingleton<TeleopIssuer>();
        s.AddSingleton<TeleopHolderAnnouncer>();
        s.AddSingleton<ControlLease>();
        s.AddSingleton<SharedSessionHub>();
        s.AddHostedService(sp => sp.GetRequiredService<SharedSessionHub>());
        // Training mode: after the controller monitor, so that the host stops the recorder (finishing an attempt) before the rig.
        s.AddSingleton(_ => new TrainingCatalog());
        s.AddSingleton<TrainingScoreStore>();
        s.AddSingleton<TrainingRecorder>();
        s.AddHostedService(sp => sp.GetRequiredService<TrainingRecorder>());
        s.AddSingleton<DicomUploadListener>();
        s.AddHostedService(sp => sp.GetRequiredService<DicomUploadListener>());
        s.AddHealthChecks();
        return builder;
    }

    /// <summary>Middleware and endpoints: static UI (public), then authentication, then the API.</summary>
    public static WebApplication UseMetaiService(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        ApiKeys keys = app.Services.GetRequiredService<ApiKeys>();
        ServicePaths paths = app.Services.GetRequiredService<ServicePaths>();
        ILogger logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("MeTAI.Service");
        if (keys.Count > 0)
        {
            LogSharedKeys(logger, keys.Count, app.Services.GetRequiredService<IOptions<ServiceOptions>>().Value.ApiKeysRole);
        }

        CreateFirstAdmin(app.Services.GetRequiredService<UserStore>(), app.Services.GetRequiredService<PhiAudit>());
        LogDataDirectory(logger, paths.Root, keys.Count);
        app.UseMetaiTransportSecurity(logger);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        string webRoot = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        if (Directory.Exists(webRoot))
        {
            var files = new PhysicalFileProvider(webRoot);
            app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
            app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
            if (!File.Exists(Path.Combine(webRoot, "lib", "chart.umd.min.js")))
            {
                LogNoChartLibrary(logger);
            }
        }

        // The console's MQTT-over-WebSocket relay (Teleop/TeleopRelay); pings keep idle proxies from closing it.
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(20) });
        app.UseAuthentication();
        app.UseMetaiCsrfCheck();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.MapHealthChecks("/health").AllowAnonymous();
        app.MapSessionApi();
        app.MapOidcSignIn();
        app.MapUsersApi();
        app.MapAuditApi();
        app.MapPlansApi();
        app.MapPlanReviewApi();
        app.MapSecondCheckApi();
        app.MapUploadsApi();
        app.MapControllerApi();
        app.MapRehearsalsApi();
        app.MapTeleopApi();
        app.MapSharedSessionsApi();
        app.MapTrainingApi();
        return app;
    }

    /// <summary>Builds the web application from command-line arguments (what <c>Program.cs</c> and <c>metai serve</c> run).</summary>
    public static WebApplication Build(string[] args)
    {
        FilePermissions.OwnerOnlyFromNowOn();
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        return builder.AddMetaiService().Build().UseMetaiService();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Keys} shared API key(s) configured: each acts as the user 'api-key' with role {Role} (Service:ApiKeysRole); personal tokens (metai users token NAME) say who did what")]
    private static partial void LogSharedKeys(ILogger logger, int keys, string role);

    // The first start has no users: it makes "admin" with a one-time password and prints it once, to the console only
    // (not to the log, which may be collected elsewhere). The admin must change it at the first sign-in.
    private static void CreateFirstAdmin(UserStore users, PhiAudit audit)
    {
        if (users.Count > 0)
        {
            return;
        }

        string password = users.Add(FirstAdmin, Role.Admin);
        audit.RecordSystem("userAdded", ("account", FirstAdmin), ("accountRole", "admin"));
        Console.Out.WriteLine($"First start: created user '{FirstAdmin}' (role admin) with the one-time password {password}");
        Console.Out.WriteLine("Sign in with it and choose a new password; it is not shown again. Add users with: ./metai users add NAME --role ROLE");
        Console.Out.Flush();
    }

    /// <summary>The user the first start creates.</summary>
    public const string FirstAdmin = "admin";

    [LoggerMessage(Level = LogLevel.Warning, Message = "The web interface's chart library is missing (the build found no npm): the API works, the pages show no charts. Install nodejs and npm (./test.sh does) and rebuild")]
    private static partial void LogNoChartLibrary(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Data directory {DataDirectory}; {Keys} API key(s) configured")]
    private static partial void LogDataDirectory(ILogger logger, string dataDirectory, int keys);
}

using MeTAI.Service.Hosting;

// `dotnet run --project app/MeTAI.Service` or `./metai serve --urls http://127.0.0.1:5080`; see docs/service.md.
WebApplication app = ServiceHost.Build(args);
app.Run();

/// <summary>The service's entry point (public so tests can host it with WebApplicationFactory).</summary>
public partial class Program;

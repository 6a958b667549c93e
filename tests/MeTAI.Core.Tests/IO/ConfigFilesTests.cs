using MeTAI.Core.IO;

namespace MeTAI.Core.Tests.IO;

/// <summary>Changes METAI_HOME, which the process shares: not beside other tests that read it.</summary>
[CollectionDefinition(nameof(ConfigFilesTests), DisableParallelization = true)]
public sealed class ConfigFilesGroup;

[Collection(nameof(ConfigFilesTests))]
public sealed class ConfigFilesTests : IDisposable
{
    private readonly string? _home = Environment.GetEnvironmentVariable(ConfigFiles.HomeVariable);
    private readonly string _dir = Directory.CreateTempSubdirectory("metai-home-").FullName;

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(ConfigFiles.HomeVariable, _home);
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void Directory_MetaiHomeWithConfigs_IsUsedFirst()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "configs", "materials"));
        Directory.CreateDirectory(Path.Combine(_dir, "configs", "robots"));
        File.WriteAllText(Path.Combine(_dir, "configs", "robots", "arm.json"), "{}");
        Environment.SetEnvironmentVariable(ConfigFiles.HomeVariable, _dir);

        Assert.Equal(Path.Combine(_dir, "configs"), ConfigFiles.Directory());
        Assert.Equal(Path.Combine(_dir, "configs", "robots", "arm.json"), ConfigFiles.Existing("robot", "robots", "arm.json"));
    }

    [Fact]
    public void Directory_MetaiHomeWithoutConfigs_FallsBackToTheCheckoutAboveTheProgram()
    {
        Environment.SetEnvironmentVariable(ConfigFiles.HomeVariable, _dir);
        string configs = ConfigFiles.Directory();
        Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(configs)!, "MeTAI.Intervention.sln")), configs);
        Assert.True(System.IO.Directory.Exists(Path.Combine(configs, "materials")));
    }

    [Fact]
    public void Existing_MissingFile_NamesWhatAndWhere()
    {
        Environment.SetEnvironmentVariable(ConfigFiles.HomeVariable, null);
        var ex = Assert.Throws<FileNotFoundException>(() => ConfigFiles.Existing("avatar config for nowhere", "avatars", "nowhere.json"));
        Assert.Contains("avatar config for nowhere", ex.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine("configs", "avatars", "nowhere.json"), ex.Message, StringComparison.Ordinal);
    }
}

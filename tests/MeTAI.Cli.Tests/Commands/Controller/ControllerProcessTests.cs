using MeTAI.Cli.Commands.Controller;

namespace MeTAI.Cli.Tests.Commands.Controller;

/// <summary>With DOTNET_GCgen0size set, the control verbs run the loop's GC slot (ControllerProcess).</summary>
public sealed class ControllerProcessTests
{
    [Theory]
    [InlineData("0x400000", 4_194_304L)]
    [InlineData("400000", 4_194_304L)]
    [InlineData("0X200000", 2_097_152L)]
    [InlineData("", null)]
    [InlineData(null, null)]
    [InlineData("lots", null)]
    public void Gen0Size_IsReadAsHexadecimalLikeTheRuntimeDoes(string? value, long? bytes) =>
        Assert.Equal(bytes, ControllerProcess.ParseGen0Size(value));
}

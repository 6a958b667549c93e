using MeTAI.Core.Geometry;
using MeTAI.Robotics.Control;
using MeTAI.Robotics.Transport;

namespace MeTAI.Robotics.Tests.Transport;

public class MqttTransportTests
{
    private static readonly MqttAccessPolicy Policy = new(new MqttTopics("arm"));

    [Theory]
    [InlineData(MqttRole.Controller, "controller", "metai/v1/arm/servo/goal", true)]
    [InlineData(MqttRole.Master, "master1", "metai/v1/arm/servo/goal", false)]
    [InlineData(MqttRole.Operator, "operator", "metai/v1/arm/servo/goal", false)]
    [InlineData(MqttRole.Master, "master1", "metai/v1/arm/master/master1/pose", true)]
    [InlineData(MqttRole.Master, "master1", "metai/v1/arm/master/master2/pose", false)]
    [InlineData(MqttRole.Operator, "operator", "metai/v1/arm/master/master1/pose", false)]
    [InlineData(MqttRole.Observer, "observer", "metai/v1/arm/cmd", false)]
    [InlineData(MqttRole.Operator, "operator", "metai/v1/arm/cmd", true)]
    [InlineData(MqttRole.Master, "master1", "metai/v1/arm/state", false)]
    [InlineData(MqttRole.Controller, "controller", "metai/v1/arm/master/master1/force", true)]
    public void MayPublish_FollowsAcl(MqttRole role, string user, string topic, bool allowed) =>
        Assert.Equal(allowed, Policy.MayPublish(role, user, topic));

    [Theory]
    [InlineData(MqttRole.Observer, "observer", "metai/v1/arm/state", true)]
    [InlineData(MqttRole.Observer, "observer", "metai/v1/arm/#", false)]
    [InlineData(MqttRole.Master, "master1", "metai/v1/arm/master/master2/force", false)]
    [InlineData(MqttRole.Master, "master1", "metai/v1/arm/master/+/force", false)]
    [InlineData(MqttRole.Controller, "controller", "metai/v1/arm/master/master1/pose", true)]
    public void MaySubscribe_OnlyCoveredFilters(MqttRole role, string user, string filter, bool allowed) =>
        Assert.Equal(allowed, Policy.MaySubscribe(role, user, filter));

    [Fact]
    public void MosquittoAcl_ListsEveryUser()
    {
        string acl = Policy.ToMosquittoAcl([("controller", MqttRole.Controller), ("master1", MqttRole.Master)]);
        Assert.Contains("user master1\ntopic write metai/v1/arm/master/master1/pose", acl.Replace("\r", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("topic write metai/v1/arm/servo/#", acl, StringComparison.Ordinal);
    }

    [Fact]
    public void Pose_RoundTrips_AndRejectsMalformed()
    {
        var sample = new MasterSample(new Pose(new Vec3(0.1, -0.2, 0.3), Quat.FromAxisAngle(Vec3.UnitY, 0.4)), true, false, 42, 123456);
        byte[] buffer = new byte[MqttPayloads.PoseLength];
        MqttPayloads.WritePose(buffer, sample);
        Assert.True(MqttPayloads.TryReadPose(buffer, out MasterSample back));
        Assert.Equal(sample.Sequence, back.Sequence);
        Assert.True(back.Clutch);
        Assert.False(back.OperatorPresent);
        Assert.Equal(0.3, back.Pose.Position.Z);
        Assert.False(MqttPayloads.TryReadPose(buffer.AsSpan(1), out _));
        buffer[51] = 0x40; // exponent byte of w: the quaternion is no longer unit
        Assert.False(MqttPayloads.TryReadPose(buffer, out _));
    }

    [Fact]
    public void EStop_MalformedPayload_ReadsAsPressed()
    {
        byte[] released = new byte[MqttPayloads.EStopLength];
        MqttPayloads.WriteEStop(released, false, 1);
        Assert.False(MqttPayloads.ReadEStopPressed(released));
        Assert.True(MqttPayloads.ReadEStopPressed(released.AsSpan(0, 3)));
    }

    [Fact]
    public void Command_ParsesCamelCaseAndAcknowledge()
    {
        Assert.True(CommandJson.TryParse("{\"command\":\"reset\",\"acknowledge\":true,\"operator\":\"dr\"}"u8, out ControllerCommand? c, out _));
        Assert.Equal(ControllerCommandKind.Reset, c!.Kind);
        Assert.True(c.Acknowledge);
        Assert.True(CommandJson.TryParse(System.Text.Encoding.UTF8.GetBytes(CommandJson.Format(ControllerCommandKind.StartTeleop)), out c, out _));
        Assert.Equal(ControllerCommandKind.StartTeleop, c!.Kind);
        Assert.False(CommandJson.TryParse("{\"command\":\"fly\"}"u8, out _, out string error));
        Assert.Contains("unknown", error, StringComparison.Ordinal);
        Assert.False(CommandJson.TryParse("not json"u8, out _, out _));
    }

    [Fact]
    public void User_PasswordHash_VerifiesOnlyTheRightPassword()
    {
        MqttUser u = MqttUser.Create("master1", MqttRole.Master, "s3cret");
        Assert.True(u.Verify("s3cret"));
        Assert.False(u.Verify("S3cret"));
        Assert.False(u.Verify(null));
        Assert.DoesNotContain("s3cret", u.PasswordHash, StringComparison.Ordinal);
    }
}

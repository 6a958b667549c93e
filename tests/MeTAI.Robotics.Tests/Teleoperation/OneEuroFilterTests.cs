using MeTAI.Core.Geometry;
using MeTAI.Robotics.Teleoperation;

namespace MeTAI.Robotics.Tests.Teleoperation;

public class OneEuroFilterTests
{
    [Fact]
    public void Tremor10Hz_OnSlowMotion_IsAttenuatedWhileMotionPasses()
    {
        var defaults = new TeleopOptions();
        var filter = new OneEuroFilter(defaults.FilterMinCutoffHz, defaults.FilterBeta);
        const double dt = 0.001;
        var residual = new List<double>();
        double lastOut = 0, lastSlow = 0;
        for (int i = 0; i < 4000; i++)
        {
            double t = i * dt;
            double slow = 0.01 * t;                                 // 1 cm/s deliberate motion
            double tremor = 0.0005 * Math.Sin(2 * Math.PI * 10 * t); // 0.5 mm, 10 Hz physiological tremor
            Vec3 y = filter.Filter(new Vec3(slow + tremor, 0, 0), dt);
            if (t > 2)
            {
                residual.Add(y.X - slow);
            }

            lastOut = y.X;
            lastSlow = slow;
        }

        // The filter lags the ramp by a constant; what oscillates around that lag is the tremor left over.
        double lag = residual.Average();
        double tremorLeft = residual.Max(r => Math.Abs(r - lag));
        Assert.True(tremorLeft < 0.00025, $"tremor left {tremorLeft * 1000:F3} mm of 0.5 mm");
        Assert.InRange(lastOut, lastSlow - 0.003, lastSlow + 0.0005);
    }
}

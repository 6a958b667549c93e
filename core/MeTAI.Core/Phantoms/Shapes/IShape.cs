using MeTAI.Core.Geometry;

namespace MeTAI.Core.Phantoms.Shapes;

/// <summary>
/// An analytic solid in LPS mm for building phantom masks: a voxel belongs to it when its centre does. Implemented by
/// structs so that <see cref="ShapeFill"/> loops are specialised per shape, without delegates.
/// </summary>
internal interface IShape
{
    /// <summary>Low corner of an axis-aligned box that holds the whole shape (LPS mm).</summary>
    Vec3 MinLps { get; }

    /// <summary>High corner of an axis-aligned box that holds the whole shape (LPS mm).</summary>
    Vec3 MaxLps { get; }

    /// <summary>True when <paramref name="pointLps"/> lies inside the shape.</summary>
    bool Contains(Vec3 pointLps);
}

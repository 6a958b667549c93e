namespace MeTAI.Rehearsal.Avatar;

/// <summary>
/// How closely a mesh follows the body and organ surfaces: of the skin nodes and of the nodes where exactly two
/// tissues meet, how many lie on the label isosurface after (guarded) snapping, and how many nodes the quality repair
/// after smoothing moved back toward the lattice.
/// </summary>
/// <param name="Snapped">Whether snapping ran (false: lattice staircase, smoothed or not).</param>
/// <param name="SkinNodes">Boundary (skin) nodes.</param>
/// <param name="SkinOnSurface">Skin nodes on the body's isosurface, or inside the face of a field-of-view cut plane (where the image ends the body).</param>
/// <param name="InterfaceNodes">Interior nodes where exactly two tissues meet.</param>
/// <param name="InterfaceOnSurface">Interface nodes on the inner tissue's isosurface.</param>
/// <param name="RepairedNodes">Nodes the quality repair moved back toward their lattice positions after smoothing (before snapping).</param>
public readonly record struct MeshConformity(bool Snapped, int SkinNodes, int SkinOnSurface, int InterfaceNodes, int InterfaceOnSurface, int RepairedNodes);

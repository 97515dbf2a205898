namespace IlgpuVq.Data;

/// <summary>
/// Procedural dermoscopic lesions: a skin-toned background with tone variation, an irregular lesion blob with a
/// class-dependent palette, size, border irregularity, asymmetry and texture (pigment network, dots and globules,
/// keratin scale, vascular lacunae, a white scar centre, red vessels), and occasional hair, vignetting and the
/// dermatoscope's dark round field of view. Every image is a pure function of (seed, lesion, image number).
/// </summary>
public static class SyntheticLesions
{
    /// <summary>
    /// Draws one image of lesion <paramref name="lesion"/> (class <paramref name="classIndex"/>) as seen in image
    /// number <paramref name="image"/>, as <c>width × height</c> RGB bytes (HWC).
    /// </summary>
    public static void Render(int seed, int classIndex, int lesion, int image, int width, int height, Span<byte> rgbHWC)
    {
        if ((uint)classIndex >= (uint)LesionClasses.Names.Count) throw new ArgumentOutOfRangeException(nameof(classIndex));
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width));
        if (rgbHWC.Length < width * height * 3) throw new ArgumentException("buffer too small", nameof(rgbHWC));
        LesionRenderer.Render(LesionRecipe.Create(seed, lesion, classIndex), LesionView.Create(seed, image), width, height, rgbHWC);
    }
}

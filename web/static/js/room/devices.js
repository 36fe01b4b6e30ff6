// The person's own microphone and camera: asked for only for a way of taking part that uses them.

/** Whether a way of taking part uses the microphone. */
export function usesMicrophone(mode) {
  return mode === "speak" || mode === "camera_off";
}

/** A stream for `mode` (null for listen-only, which never asks for any device). */
export async function getMedia(mode, camera) {
  if (!usesMicrophone(mode)) return null;
  return navigator.mediaDevices.getUserMedia({
    audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
    video: mode === "speak" && camera ? { width: { ideal: 640 }, height: { ideal: 480 } } : false,
  });
}

/** Stop every track of a stream (the browser's "in use" light goes off). */
export function stopStream(stream) {
  for (const track of stream?.getTracks() ?? []) track.stop();
}

/** A microphone level shown in a <meter>, about ten times a second. */
export class MicMeter {
  constructor(meter) {
    this.meter = meter;
    this.context = null;
    this.timer = null;
  }

  start(stream) {
    this.stop();
    if (!stream?.getAudioTracks().length) return;
    this.context = new AudioContext();
    const analyser = this.context.createAnalyser();
    analyser.fftSize = 512;
    this.context.createMediaStreamSource(stream).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    this.timer = window.setInterval(() => {
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const sample of samples) sum += sample * sample;
      this.meter.value = Math.min(1, Math.sqrt(sum / samples.length) * 4);
    }, 100);
  }

  stop() {
    window.clearInterval(this.timer);
    this.context?.close();
    this.context = null;
    this.meter.value = 0;
  }
}

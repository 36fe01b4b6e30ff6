// The person's own microphone and camera: asked for only for a way of taking part that uses them.

/**
 * A stream for a way of taking part: `capabilities` is a seat of room:state or a mode of the page
 * (shared/modes.js), both carrying `needs_devices` and `sends`. Null when it needs no device,
 * so a listener is never asked; the camera only when it sends video and `camera` is wanted.
 */
export async function getMedia(capabilities, camera) {
  if (!capabilities.needs_devices) return null;
  return navigator.mediaDevices.getUserMedia({
    audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
    video: camera && capabilities.sends.includes("video") ? { width: { ideal: 640 }, height: { ideal: 480 } } : false,
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
